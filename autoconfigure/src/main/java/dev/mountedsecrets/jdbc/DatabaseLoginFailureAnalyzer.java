package dev.mountedsecrets.jdbc;

import java.sql.SQLException;

import dev.mountedsecrets.SecretOrigins;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Explains a refused database login whatever opened the connection: the start-up check of the
 * application's DataSource ({@link DatabaseLoginException}), or Flyway, Liquibase or
 * {@code spring.sql.init} with a login of their own, when the password came from a secret
 * file. The component is told by the code the failure went through, not by the database's
 * (translatable) message.
 */
class DatabaseLoginFailureAnalyzer implements FailureAnalyzer {

	private final Environment environment;

	DatabaseLoginFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		DatabaseLoginException login = findLoginException(failure);
		if (login == null) {
			login = fromRefusal(failure);
		}
		if (login == null) {
			return null;
		}
		String action = isMySqlFamily(login.getCause())
				? "Check that the secret holds the current password of '" + login.getUsername() + "' (ALTER USER '"
						+ login.getUsername() + "'@'%' IDENTIFIED BY ..., with the user's host), that the user exists"
						+ " and may log in from this host (it must before the application starts) and that "
						+ login.getUsernameProperty() + " names the right user."
				: "Check that the secret holds the current password of '" + login.getUsername() + "' (ALTER ROLE "
						+ login.getUsername() + " PASSWORD ...), that the role exists (it must before the application"
						+ " starts) and that " + login.getUsernameProperty() + " names the right role.";
		return new FailureAnalysis(login.getMessage(), action, login);
	}

	/**
	 * Whether the refusal was thrown by the MariaDB or the MySQL driver: no connection, so no
	 * product name, exists after a refused login, and the drivers throw the JDK's own
	 * {@code SQLException} types, so the frames tell.
	 */
	private static boolean isMySqlFamily(@Nullable Throwable refusal) {
		if (refusal == null) {
			return false;
		}
		for (StackTraceElement frame : refusal.getStackTrace()) {
			if (frame.getClassName().startsWith("org.mariadb.") || frame.getClassName().startsWith("com.mysql.")) {
				return true;
			}
		}
		return false;
	}

	private static @Nullable DatabaseLoginException findLoginException(Throwable failure) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof DatabaseLoginException login) {
				return login;
			}
		}
		return null;
	}

	private @Nullable DatabaseLoginException fromRefusal(Throwable failure) {
		SQLException refusal = DataSourceRoleCheck.loginFailure(failure);
		if (refusal == null || !(this.environment instanceof ConfigurableEnvironment configurable)) {
			return null;
		}
		SchemaTool tool = null;
		for (Throwable candidate = failure; candidate != null && tool == null; candidate = candidate.getCause()) {
			tool = SchemaTool.ranIn(candidate.getStackTrace());
		}
		String userProperty = "spring.datasource.username";
		String passwordProperty = "spring.datasource.password";
		if (tool != null && tool.hasOwnLogin(configurable)) {
			userProperty = tool.userProperty();
			passwordProperty = tool.passwordProperty();
		}
		if (SecretOrigins.secretFeeding(configurable, passwordProperty).isEmpty()) {
			return null;
		}
		return new DatabaseLoginException(configurable.getProperty(userProperty, "(unknown)"), userProperty,
				SecretOrigins.describe(configurable, passwordProperty), refusal);
	}

}
