package dev.mountedsecrets.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.mountedsecrets.CheckMode;
import dev.mountedsecrets.SecretOrigins;
import dev.mountedsecrets.SecretsEnvironmentPostProcessor;
import dev.mountedsecrets.SecretsProperties;
import dev.mountedsecrets.jdbc.DatabasePrivileges.Finding;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;

/**
 * Checks the application's DataSource as soon as the bean is initialised, before any other
 * bean (Hibernate, {@code spring.sql.init}, Flyway or Liquibase without a login of their own,
 * the application's code) can get it: the login, then that it is not privileged, by the rules
 * of the database the driver names ({@link DatabasePrivileges}): on PostgreSQL that the role
 * cannot escape row-level security or grants, on MariaDB and MySQL that the user holds no
 * privilege over the server or the schema and reaches none through roles. Any other database
 * gets one line at start-up saying that it is not checked.
 * <p>
 * The only statements run through the DataSource before the verdict are the catalogue
 * queries of the check itself. A refused DataSource is closed before start-up fails.
 */
public class DataSourceRoleCheck implements BeanPostProcessor, BeanFactoryAware, EnvironmentAware {

	/** How long a query of the check waits for the database, once logged in. */
	static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);

	private static final Log logger = LogFactory.getLog(DataSourceRoleCheck.class);

	private static final String INVALID_AUTHORIZATION_CLASS = "28";

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	private @Nullable ConfigurableEnvironment environment;

	private boolean checked;

	/**
	 * Create a check of the application's DataSource, whatever its database.
	 */
	public DataSourceRoleCheck() {
	}

	/**
	 * Create a check.
	 * @param jdbcUrl the JDBC URL of a DataSource, when known
	 * @deprecated the database is now told by the driver's product name, not the URL; use
	 * {@link #DataSourceRoleCheck()}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public DataSourceRoleCheck(Function<DataSource, @Nullable String> jdbcUrl) {
		this();
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
			this.beanFactory = listable;
		}
	}

	@Override
	public void setEnvironment(Environment environment) {
		if (environment instanceof ConfigurableEnvironment configurable) {
			this.environment = configurable;
		}
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!this.checked && bean instanceof DataSource dataSource && isApplicationDataSource(beanName)
				&& this.environment != null) {
			this.checked = true;
			check(dataSource, this.environment);
		}
		return bean;
	}

	private boolean isApplicationDataSource(String beanName) {
		if (this.beanFactory == null) {
			return false;
		}
		String[] names = this.beanFactory.getBeanNamesForType(DataSource.class, true, false);
		if (names.length == 1) {
			return names[0].equals(beanName);
		}
		return Arrays.asList(names).contains(beanName) && this.beanFactory.containsBeanDefinition(beanName)
				&& this.beanFactory.getBeanDefinition(beanName).isPrimary();
	}

	private void check(DataSource dataSource, ConfigurableEnvironment environment) {
		try {
			Verification verification = verification(dataSource::getConnection, environment,
					() -> toolsInUse(environment), false);
			LeastPrivilegeException warning = verification.warning();
			if (verification.notApplicable()) {
				logger.info("secrets.datasource.least-privilege does not apply to " + verification.database()
						+ ": the starter reads the privileges of PostgreSQL, MariaDB and MySQL logins only, so the"
						+ " application's login (spring.datasource.username) is not checked; give it rights on rows"
						+ " only, and keep schema changes for the admin login");
			}
			else if (warning != null) {
				logger.warn(warning.getMessage() + " (secrets.datasource.least-privilege=warn)");
			}
		}
		catch (RuntimeException ex) {
			close(dataSource);
			throw ex;
		}
	}

	/**
	 * One way to open a connection as the application's login.
	 */
	@FunctionalInterface
	interface Login {

		Connection open() throws SQLException;

		/**
		 * How long a query of the check may wait for the database once logged in.
		 * @return the limit, {@link #QUERY_TIMEOUT} unless told otherwise
		 */
		default Duration queryTimeout() {
			return QUERY_TIMEOUT;
		}

	}

	/**
	 * What {@link #verification(Login, ConfigurableEnvironment, Supplier, boolean)} found, when it
	 * did not throw.
	 * @param database the database product the driver names, or {@code null} when the check
	 * is off or the database could not be asked
	 * @param applied whether the least-privilege rules of that database were applied
	 * @param warning the broken rules when the mode is warn, otherwise {@code null}
	 */
	record Verification(@Nullable String database, boolean applied, @Nullable LeastPrivilegeException warning) {

		/** The login worked, but the database is not one whose privileges the check reads. */
		boolean notApplicable() {
			return this.database != null && !this.applied;
		}

	}

	/**
	 * The check of the application's login, as at start-up: log in, then apply the
	 * least-privilege rules of the database the driver names in the mode
	 * {@code secrets.datasource.least-privilege} sets.
	 * @param login opens a connection as the application's login
	 * @param environment the environment
	 * @param tools the schema tools that would use the DataSource
	 * @param strict whether a connection that fails for any other reason than a refused login
	 * fails too (the pre-flight check), rather than being logged (start-up)
	 * @return the broken rules when the mode is warn, otherwise {@code null}
	 * @throws DatabaseLoginException if the database refuses the login
	 * @throws LeastPrivilegeException if the login breaks a rule and the mode is fail
	 */
	static @Nullable LeastPrivilegeException verify(Login login, ConfigurableEnvironment environment,
			Supplier<List<SchemaTool>> tools, boolean strict) {
		return verification(login, environment, tools, strict).warning();
	}

	/**
	 * As {@link #verify(Login, ConfigurableEnvironment, Supplier, boolean)}, also telling
	 * which database was asked and whether its rules applied.
	 * @param login opens a connection as the application's login
	 * @param environment the environment
	 * @param tools the schema tools that would use the DataSource
	 * @param strict whether a connection that fails for any other reason than a refused login
	 * fails too (the pre-flight check), rather than being logged (start-up)
	 * @return what was found
	 * @throws DatabaseLoginException if the database refuses the login
	 * @throws LeastPrivilegeException if the login breaks a rule and the mode is fail
	 */
	static Verification verification(Login login, ConfigurableEnvironment environment, Supplier<List<SchemaTool>> tools,
			boolean strict) {
		CheckMode mode = Binder.get(environment)
			.bindOrCreate("secrets", SecretsProperties.class)
			.getDatasource()
			.getLeastPrivilege();
		Inspection inspection = inspect(login, mode, environment, strict);
		Finding finding = inspection.finding();
		if (finding == null) {
			return new Verification(inspection.database(), false, null);
		}
		if (finding.unprivileged()) {
			logger.debug("DataSource login " + finding.role() + " on " + finding.database() + " is unprivileged");
			return new Verification(finding.database(), true, null);
		}
		LeastPrivilegeException failure = new LeastPrivilegeException(finding.database(), finding.role(),
				finding.violations(), finding.memberOf(), finding.grants(), finding.revocations(), tools.get(),
				isSetExplicitly(environment));
		if (mode == CheckMode.FAIL) {
			throw failure;
		}
		return new Verification(finding.database(), true, failure);
	}

	/**
	 * The database product asked, and what it says of the login.
	 */
	private record Inspection(@Nullable String database, @Nullable Finding finding) {

	}

	/**
	 * What the database says of the login; no finding when the check is off, the database is
	 * not one the check knows, or it could not be asked. Off still logs in once, so that a
	 * refused password is explained before Hibernate or a script hides it.
	 */
	private static Inspection inspect(Login login, CheckMode mode, ConfigurableEnvironment environment,
			boolean strict) {
		try (Connection connection = login.open()) {
			if (mode == CheckMode.OFF) {
				return new Inspection(null, null);
			}
			limitWaits(connection, login.queryTimeout());
			String product = connection.getMetaData().getDatabaseProductName();
			DatabasePrivileges privileges = DatabasePrivileges.forProduct(product);
			if (privileges == null) {
				return new Inspection((product != null) ? product : "(unknown database)", null);
			}
			return new Inspection(product, privileges.inspect(connection));
		}
		catch (SQLException | RuntimeException ex) {
			SQLException refused = loginFailure(ex);
			if (refused != null) {
				throw new DatabaseLoginException(environment.getProperty("spring.datasource.username", "(unknown)"),
						"spring.datasource.username", SecretOrigins.describe(environment, "spring.datasource.password"),
						refused);
			}
			if (ex instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (strict) {
				throw new IllegalStateException(
						"Could not check the privileges of the DataSource's login: " + ex.getMessage(), ex);
			}
			logger.warn("Could not check the privileges of the DataSource's login: " + ex.getMessage());
			return new Inspection(null, null);
		}
	}

	/**
	 * Let no query of the check wait for ever on a database that accepted the login and then
	 * stopped answering (a stalled proxy, a lock held on a catalog): the connection's socket
	 * gives up after the limit, and the check fails (pre-flight) or is skipped with a warning
	 * (start-up). A pooled connection gets the pool's setting back when it is returned. A
	 * driver without network timeouts is left as it is.
	 */
	private static void limitWaits(Connection connection, Duration limit) {
		try {
			connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, limit.toMillis()));
		}
		catch (SQLException | UnsupportedOperationException | AbstractMethodError ex) {
			// the driver cannot limit its waits
		}
	}

	private List<SchemaTool> toolsInUse(ConfigurableEnvironment environment) {
		List<SchemaTool> tools = new ArrayList<>();
		for (SchemaTool tool : SchemaTool.values()) {
			ClassLoader classLoader = getClass().getClassLoader();
			if (this.beanFactory == null || !ClassUtils.isPresent(tool.beanClassName(), classLoader)) {
				continue;
			}
			Class<?> type = ClassUtils.resolveClassName(tool.beanClassName(), classLoader);
			boolean present = this.beanFactory.getBeanNamesForType(type, true, false).length > 0;
			if (present && (tool != SchemaTool.SQL_INIT
					|| "always".equalsIgnoreCase(environment.getProperty("spring.sql.init.mode")))) {
				tools.add(tool);
			}
		}
		return tools;
	}

	/**
	 * Whether the application sets {@code spring.datasource.username} itself, rather than
	 * taking the starter's default.
	 */
	private static boolean isSetExplicitly(ConfigurableEnvironment environment) {
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (!ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)
					&& source.containsProperty("spring.datasource.username")) {
				return !SecretsEnvironmentPostProcessor.DEFAULTS_NAME.equals(source.getName());
			}
		}
		return false;
	}

	private static void close(DataSource dataSource) {
		if (dataSource instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				logger.debug("Could not close the refused DataSource", ex);
			}
		}
	}

	static @Nullable SQLException loginFailure(@Nullable Throwable ex) {
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof SQLException sql && sql.getSQLState() != null
					&& sql.getSQLState().startsWith(INVALID_AUTHORIZATION_CLASS)) {
				return sql;
			}
		}
		return null;
	}

}
