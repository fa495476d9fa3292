package dev.mountedsecrets.jdbc;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;

/**
 * A Spring Boot component that changes the schema with its own user and password when both
 * are set, and through the application's DataSource otherwise. The admin secret
 * ({@code postgres_password}) feeds the password of each.
 */
public enum SchemaTool {

	/** Flyway migrations. */
	FLYWAY("Flyway", "spring.flyway.user", "spring.flyway.password", "org.flywaydb.core.Flyway", "org.flywaydb."),

	/** Liquibase change logs. */
	LIQUIBASE("Liquibase", "spring.liquibase.user", "spring.liquibase.password",
			"liquibase.integration.spring.SpringLiquibase", "liquibase."),

	/** {@code schema.sql} and {@code data.sql}. */
	SQL_INIT("spring.sql.init", "spring.sql.init.username", "spring.sql.init.password",
			"org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer",
			"org.springframework.boot.jdbc.init.", "org.springframework.boot.sql.init.");

	private final String displayName;

	private final String userProperty;

	private final String passwordProperty;

	private final String beanClassName;

	private final List<String> packages;

	SchemaTool(String displayName, String userProperty, String passwordProperty, String beanClassName,
			String... packages) {
		this.displayName = displayName;
		this.userProperty = userProperty;
		this.passwordProperty = passwordProperty;
		this.beanClassName = beanClassName;
		this.packages = List.of(packages);
	}

	public String displayName() {
		return this.displayName;
	}

	public String userProperty() {
		return this.userProperty;
	}

	public String passwordProperty() {
		return this.passwordProperty;
	}

	String beanClassName() {
		return this.beanClassName;
	}

	/**
	 * Whether the tool logs in with a user and password of its own rather than through the
	 * application's DataSource.
	 * @param environment the environment
	 * @return whether both its user and its password are set
	 */
	public boolean hasOwnLogin(Environment environment) {
		return hasText(environment.getProperty(this.userProperty))
				&& hasText(environment.getProperty(this.passwordProperty));
	}

	/**
	 * The tool whose code appears in a stack trace, if any.
	 * @param stack the frames of a failure
	 * @return the tool, or {@code null}
	 */
	static @Nullable SchemaTool ranIn(StackTraceElement[] stack) {
		for (StackTraceElement frame : stack) {
			for (SchemaTool tool : values()) {
				if (tool.packages.stream().anyMatch(frame.getClassName()::startsWith)) {
					return tool;
				}
			}
		}
		return null;
	}

	private static boolean hasText(@Nullable String value) {
		return value != null && !value.isBlank();
	}

}
