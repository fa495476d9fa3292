package dev.mountedsecrets.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
import dev.mountedsecrets.jdbc.RoleRules.Role;
import dev.mountedsecrets.jdbc.RoleRules.Verdict;
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
 * Checks the application's PostgreSQL DataSource as soon as the bean is initialised, before
 * any other bean (Hibernate, {@code spring.sql.init}, Flyway or Liquibase without a login of
 * their own, the application's code) can get it: the login, then that the role cannot escape
 * row-level security or grants. The role must not be a superuser, have {@code BYPASSRLS}, be
 * {@code postgres}, or be a member (directly or not) of a role that is a superuser or has
 * {@code BYPASSRLS}, since {@code SET ROLE} would make it that role.
 * <p>
 * The only statement run through the DataSource before the verdict is the catalogue query
 * of the check itself. A refused DataSource is closed before start-up fails.
 */
public class DataSourceRoleCheck implements BeanPostProcessor, BeanFactoryAware, EnvironmentAware {

	private static final Log logger = LogFactory.getLog(DataSourceRoleCheck.class);

	private static final String ROLE_QUERY = "SELECT r.rolname, r.rolsuper, r.rolbypassrls,"
			+ " r.rolname = session_user AS login FROM pg_roles r WHERE r.rolname = session_user"
			+ " OR ((r.rolsuper OR r.rolbypassrls) AND pg_has_role(session_user, r.oid, 'MEMBER'))"
			+ " ORDER BY login DESC, r.rolname";

	/** The roles granted to the login role directly through which it reaches a privileged role. */
	private static final String GRANTS_QUERY = "SELECT DISTINCT g.rolname FROM pg_auth_members m"
			+ " JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles s ON s.oid = m.member WHERE s.rolname = session_user"
			+ " AND EXISTS (SELECT 1 FROM pg_roles p WHERE (p.rolsuper OR p.rolbypassrls)"
			+ " AND pg_has_role(g.oid, p.oid, 'MEMBER')) ORDER BY 1";

	private static final String INVALID_AUTHORIZATION_CLASS = "28";

	private final Function<DataSource, @Nullable String> jdbcUrl;

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	private @Nullable ConfigurableEnvironment environment;

	private boolean checked;

	/**
	 * Create a check.
	 * @param jdbcUrl the JDBC URL of a DataSource, when known; only PostgreSQL URLs are
	 * checked
	 */
	public DataSourceRoleCheck(Function<DataSource, @Nullable String> jdbcUrl) {
		this.jdbcUrl = jdbcUrl;
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
		if (!this.checked && bean instanceof DataSource dataSource && isApplicationDataSource(beanName)) {
			this.checked = true;
			String url = this.jdbcUrl.apply(dataSource);
			if (url != null && url.startsWith("jdbc:postgresql:") && this.environment != null) {
				check(dataSource, this.environment);
			}
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
			LeastPrivilegeException warning = verify(dataSource::getConnection, environment,
					() -> toolsInUse(environment), false);
			if (warning != null) {
				logger.warn(warning.getMessage() + " (secrets.datasource.least-privilege=warn)");
			}
		}
		catch (RuntimeException ex) {
			close(dataSource);
			throw ex;
		}
	}

	/**
	 * One way to open a connection as the application's role.
	 */
	@FunctionalInterface
	interface Login {

		Connection open() throws SQLException;

	}

	/**
	 * The check of the application's role, as at start-up: log in, then apply the
	 * least-privilege rules in the mode {@code secrets.datasource.least-privilege} sets.
	 * @param login opens a connection as the application's role
	 * @param environment the environment
	 * @param tools the schema tools that would use the DataSource
	 * @param strict whether a connection that fails for any other reason than a refused login
	 * fails too (the pre-flight check), rather than being logged (start-up)
	 * @return the broken rules when the mode is warn, otherwise {@code null}
	 * @throws DatabaseLoginException if the database refuses the login
	 * @throws LeastPrivilegeException if the role breaks a rule and the mode is fail
	 */
	static @Nullable LeastPrivilegeException verify(Login login, ConfigurableEnvironment environment,
			Supplier<List<SchemaTool>> tools, boolean strict) {
		CheckMode mode = Binder.get(environment)
			.bindOrCreate("secrets", SecretsProperties.class)
			.getDatasource()
			.getLeastPrivilege();
		List<Role> roles = roles(login, mode, environment, strict);
		if (roles.isEmpty()) {
			return null;
		}
		Role role = roles.get(0);
		Verdict verdict = RoleRules.verdict(role, roles.subList(1, roles.size()));
		if (verdict.unprivileged()) {
			logger.debug("DataSource role '" + role.name() + "' is unprivileged; row-level security applies");
			return null;
		}
		LeastPrivilegeException failure = new LeastPrivilegeException(role.name(), verdict.violations(),
				verdict.memberOf(), role.grants(), tools.get(), isSetExplicitly(environment));
		if (mode == CheckMode.FAIL) {
			throw failure;
		}
		return failure;
	}

	/**
	 * The login role first, then the privileged roles it can become; empty when the check is
	 * off or the database could not be asked. Off still logs in once, so that a refused
	 * password is explained before Hibernate or a script hides it.
	 */
	private static List<Role> roles(Login login, CheckMode mode, ConfigurableEnvironment environment,
			boolean strict) {
		List<Role> roles = new ArrayList<>();
		try (Connection connection = login.open()) {
			if (mode == CheckMode.OFF) {
				return roles;
			}
			try (PreparedStatement statement = connection.prepareStatement(ROLE_QUERY);
					ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					roles.add(new Role(result.getString(1), result.getBoolean(2), result.getBoolean(3), List.of()));
				}
			}
			if (roles.size() > 1 && !roles.get(0).superuser()) {
				roles.set(0, roles.get(0).withGrants(grantsLeadingToPrivilege(connection)));
			}
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
						"Could not check the privileges of the DataSource's role: " + ex.getMessage(), ex);
			}
			logger.warn("Could not check the privileges of the DataSource's role: " + ex.getMessage());
		}
		return roles;
	}

	private static List<String> grantsLeadingToPrivilege(Connection connection) throws SQLException {
		List<String> grants = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(GRANTS_QUERY);
				ResultSet result = statement.executeQuery()) {
			while (result.next()) {
				grants.add(result.getString(1));
			}
		}
		return grants;
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
