package dev.mountedsecrets.jdbc;

import java.util.List;

/**
 * Thrown at start-up when the application's DataSource logs in as a PostgreSQL role that
 * could escape row-level security.
 *
 * @see LeastPrivilegeFailureAnalyzer
 */
public class LeastPrivilegeException extends RuntimeException {

	private final String role;

	private final List<String> violations;

	/**
	 * Create an exception.
	 * @param role the role the DataSource logs in as
	 * @param violations each rule the role breaks
	 */
	public LeastPrivilegeException(String role, List<String> violations) {
		super("The application's DataSource logs in as PostgreSQL role '" + role + "', which "
				+ String.join(" and ", violations));
		this.role = role;
		this.violations = List.copyOf(violations);
	}

	public String getRole() {
		return this.role;
	}

	public List<String> getViolations() {
		return this.violations;
	}

}
