package dev.mountedsecrets.jdbc;

import java.util.List;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Explains a {@link LeastPrivilegeException} in the terms of the application: the one
 * setting to change (on MariaDB and MySQL, the {@code REVOKE} statements as well), and how
 * its schema changes (Flyway, Liquibase, {@code spring.sql.init}, or none) keep the admin
 * login.
 */
class LeastPrivilegeFailureAnalyzer extends AbstractFailureAnalyzer<LeastPrivilegeException> {

	private final Environment environment;

	LeastPrivilegeFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, LeastPrivilegeException cause) {
		boolean postgres = "PostgreSQL".equals(cause.getDatabase());
		String description = cause.getMessage() + (postgres
				? ". Such a role is not bound by row-level security policies (a superuser by no grant either), so the"
						+ " application must use an unprivileged role."
				: ". Such a login can change the schema or the server, and so could any flaw in the application;"
						+ " the application must log in as a user with rights on rows only (SELECT, INSERT, UPDATE,"
						+ " DELETE).")
				+ " Nothing was run through the DataSource but this check.";
		StringBuilder action = new StringBuilder();
		if (!postgres) {
			action.append("As the admin, run ")
				.append(String.join(" ", cause.getRevocations()))
				.append(" Or point spring.datasource.username at a user with rights on rows only")
				.append(cause.isUsernameSetExplicitly() ? ", or remove it to use the default app_user. " : ". ");
		}
		else if (!cause.getGrants().isEmpty() && cause.getMemberOf().size() == cause.getViolations().size()) {
			action.append("Revoke the grant that leads there (REVOKE ")
				.append(String.join(", ", cause.getGrants()))
				.append(" FROM ")
				.append(cause.getRole())
				.append(";), or point spring.datasource.username at a role that is not a member. ");
		}
		else if (cause.isUsernameSetExplicitly()) {
			action.append("Point spring.datasource.username at an unprivileged role (NOSUPERUSER NOBYPASSRLS), or")
				.append(" remove it to use the default app_user. ");
		}
		else {
			action.append("Point spring.datasource.username at an unprivileged role (NOSUPERUSER NOBYPASSRLS). ");
		}
		action.append(schemaAdvice(cause.getSchemaTools(), postgres));
		action.append(" To start anyway, set secrets.datasource.least-privilege=warn (or off).");
		return new FailureAnalysis(description, action.toString(), cause);
	}

	private String schemaAdvice(List<SchemaTool> tools, boolean postgres) {
		if (tools.isEmpty()) {
			return "The application runs no schema tool (Flyway, Liquibase, spring.sql.init), so the "
					+ (postgres ? "role" : "user") + " needs only the grants its queries use; an administrator"
					+ " creates the tables.";
		}
		StringBuilder advice = new StringBuilder();
		for (SchemaTool tool : tools) {
			if (tool.hasOwnLogin(this.environment)) {
				advice.append(tool.displayName())
					.append(" keeps its own login as the admin role (")
					.append(tool.userProperty())
					.append(", ")
					.append(tool.passwordProperty())
					.append("). ");
			}
			else {
				advice.append(tool.displayName())
					.append(" has no login of its own and would use the DataSource: mount the admin password as")
					.append(" postgres_password (it feeds ")
					.append(tool.passwordProperty())
					.append(", with ")
					.append(tool.userProperty())
					.append(postgres ? " postgres by default). " : " set to the admin user, e.g. root). ");
			}
		}
		return advice.toString().trim();
	}

}
