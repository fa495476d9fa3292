package dev.mountedsecrets.jdbc;

import java.util.List;

/**
 * Thrown at start-up, before anything else used the application's DataSource, when it logs
 * in as a PostgreSQL role that could escape row-level security and grants, or as a MariaDB
 * or MySQL user that could change the schema or the server.
 *
 * @see LeastPrivilegeFailureAnalyzer
 */
public class LeastPrivilegeException extends RuntimeException {

	private final String database;

	private final String role;

	private final List<String> violations;

	private final List<String> memberOf;

	private final List<String> grants;

	private final List<String> revocations;

	private final List<SchemaTool> schemaTools;

	private final boolean usernameSetExplicitly;

	/**
	 * Create an exception.
	 * @param role the role the DataSource logs in as
	 * @param violations each rule the role breaks
	 */
	public LeastPrivilegeException(String role, List<String> violations) {
		this(role, violations, List.of(), List.of(), List.of(), true);
	}

	/**
	 * Create an exception.
	 * @param role the role the DataSource logs in as
	 * @param violations each rule the role breaks
	 * @param memberOf the privileged roles it can become through memberships
	 * @param grants the roles granted to it directly through which it reaches them
	 * @param schemaTools the schema tools the application uses
	 * @param usernameSetExplicitly whether the application sets
	 * {@code spring.datasource.username} itself rather than taking the default
	 */
	public LeastPrivilegeException(String role, List<String> violations, List<String> memberOf, List<String> grants,
			List<SchemaTool> schemaTools, boolean usernameSetExplicitly) {
		this("PostgreSQL", role, violations, memberOf, grants, List.of(), schemaTools, usernameSetExplicitly);
	}

	/**
	 * Create an exception.
	 * @param database the database product: {@code PostgreSQL}, {@code MariaDB} or
	 * {@code MySQL}
	 * @param role the role (PostgreSQL) or account (MariaDB, MySQL: {@code 'app_user'@'%'})
	 * the DataSource logs in as
	 * @param violations each rule the login breaks
	 * @param memberOf the privileged roles it can become
	 * @param grants the roles granted to it directly through which it reaches them
	 * @param revocations the statements that take the refused privileges away, if the
	 * database has them
	 * @param schemaTools the schema tools the application uses
	 * @param usernameSetExplicitly whether the application sets
	 * {@code spring.datasource.username} itself rather than taking the default
	 */
	public LeastPrivilegeException(String database, String role, List<String> violations, List<String> memberOf,
			List<String> grants, List<String> revocations, List<SchemaTool> schemaTools,
			boolean usernameSetExplicitly) {
		super("The application's DataSource logs in as " + database
				+ ("PostgreSQL".equals(database) ? " role '" + role + "'" : " user " + role) + ", which "
				+ String.join(" and ", violations));
		this.database = database;
		this.role = role;
		this.violations = List.copyOf(violations);
		this.memberOf = List.copyOf(memberOf);
		this.grants = List.copyOf(grants);
		this.revocations = List.copyOf(revocations);
		this.schemaTools = List.copyOf(schemaTools);
		this.usernameSetExplicitly = usernameSetExplicitly;
	}

	/**
	 * The database product the DataSource logs in to.
	 * @return {@code PostgreSQL}, {@code MariaDB} or {@code MySQL}
	 */
	public String getDatabase() {
		return this.database;
	}

	public String getRole() {
		return this.role;
	}

	public List<String> getViolations() {
		return this.violations;
	}

	/**
	 * The privileged roles the DataSource's role can become with {@code SET ROLE}.
	 * @return the role names, possibly none
	 */
	public List<String> getMemberOf() {
		return this.memberOf;
	}

	/**
	 * The roles granted to the DataSource's role directly through which it reaches a
	 * privileged role: the grants to revoke.
	 * @return the role names, possibly none
	 */
	public List<String> getGrants() {
		return this.grants;
	}

	/**
	 * The statements that take the refused privileges away (MariaDB, MySQL), grants of
	 * roles included.
	 * @return the statements, possibly none
	 */
	public List<String> getRevocations() {
		return this.revocations;
	}

	/**
	 * The schema tools the application uses: Flyway, Liquibase, {@code spring.sql.init}.
	 * @return the tools, possibly none
	 */
	public List<SchemaTool> getSchemaTools() {
		return this.schemaTools;
	}

	public boolean isUsernameSetExplicitly() {
		return this.usernameSetExplicitly;
	}

}
