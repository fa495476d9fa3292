package dev.mountedsecrets.jdbc;

import dev.mountedsecrets.CheckMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.mountedsecrets.SecretOrigins;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Once every singleton exists (so after migrations), logs in with the application's
 * PostgreSQL DataSource and checks that its role cannot escape row-level security: not a
 * superuser, no {@code BYPASSRLS}, not {@code postgres}. A refused login fails start-up with a
 * message that names the user and the secret file of the password.
 */
public class DataSourceRoleCheck implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(DataSourceRoleCheck.class);

	private static final String ROLE_QUERY = "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles"
			+ " WHERE rolname = current_user";

	private static final String INVALID_AUTHORIZATION_CLASS = "28";

	private final DataSource dataSource;

	private final @Nullable String jdbcUrl;

	private final CheckMode mode;

	private final ConfigurableEnvironment environment;

	/**
	 * Create a check.
	 * @param dataSource the application's DataSource
	 * @param jdbcUrl its JDBC URL, when known; only PostgreSQL URLs are checked
	 * @param mode what to do with a privileged role
	 * @param environment the environment, to name the password's secret file
	 */
	public DataSourceRoleCheck(DataSource dataSource, @Nullable String jdbcUrl, CheckMode mode,
			ConfigurableEnvironment environment) {
		this.dataSource = dataSource;
		this.jdbcUrl = jdbcUrl;
		this.mode = mode;
		this.environment = environment;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.mode == CheckMode.OFF || this.jdbcUrl == null || !this.jdbcUrl.startsWith("jdbc:postgresql:")) {
			return;
		}
		Role role = currentRole();
		if (role == null) {
			return;
		}
		List<String> violations = role.violations();
		if (violations.isEmpty()) {
			logger.debug("DataSource role '" + role.name() + "' is unprivileged; row-level security applies");
			return;
		}
		LeastPrivilegeException failure = new LeastPrivilegeException(role.name(), violations);
		if (this.mode == CheckMode.FAIL) {
			throw failure;
		}
		logger.warn(failure.getMessage() + " (secrets.datasource.least-privilege=warn)");
	}

	private @Nullable Role currentRole() {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(ROLE_QUERY);
				ResultSet result = statement.executeQuery()) {
			return result.next() ? new Role(result.getString(1), result.getBoolean(2), result.getBoolean(3)) : null;
		}
		catch (SQLException ex) {
			SQLException login = loginFailure(ex);
			if (login != null) {
				throw new DatabaseLoginException(username(),
						SecretOrigins.describe(this.environment, "spring.datasource.password"), login);
			}
			logger.warn("Could not check the privileges of the DataSource's role: " + ex.getMessage());
			return null;
		}
	}

	private String username() {
		return this.environment.getProperty("spring.datasource.username", "(unknown)");
	}

	private static @Nullable SQLException loginFailure(Throwable ex) {
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof SQLException sql && sql.getSQLState() != null
					&& sql.getSQLState().startsWith(INVALID_AUTHORIZATION_CLASS)) {
				return sql;
			}
		}
		return null;
	}

	private record Role(String name, boolean superuser, boolean bypassRls) {

		List<String> violations() {
			List<String> violations = new ArrayList<>();
			if (superuser) {
				violations.add("is a superuser");
			}
			if (bypassRls) {
				violations.add("has BYPASSRLS");
			}
			if ("postgres".equals(name)) {
				violations.add("is the admin role 'postgres'");
			}
			return violations;
		}

	}

}
