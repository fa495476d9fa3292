package dev.mountedsecrets.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.mountedsecrets.PostgresTestServer;
import dev.mountedsecrets.SecretsEnvironmentPostProcessor;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The role check against a real PostgreSQL server, one rule broken at a time: a superuser
 * that is not called {@code postgres}, {@code BYPASSRLS} alone, a membership (through another
 * role) in a privileged role, the accepted unprivileged {@code app_user}, a refused password,
 * and the three {@code secrets.datasource.least-privilege} modes.
 * <p>
 * Unlike {@code PostgresIT} this needs no application context, so it is a unit test that the
 * mutation run ({@code -Pmutation}) uses. The server is started once per JVM, not per test
 * class: PIT runs each test on its own for each mutant, and a start per run would cost more
 * than the whole check.
 */
@ExtendWith(OutputCaptureExtension.class)
class DataSourceRoleCheckPostgresTests {

	private static final String ADMIN_PASSWORD = "Pg-Admin-c4e1a09b73";

	private static final String APP_PASSWORD = "Pg-App-2f8d6b1e05";

	private static final String BOSS_PASSWORD = "Pg-Boss-97a3c0e4d2";

	private static final String SKIPPER_PASSWORD = "Pg-Skip-5e0b7d2a19";

	private static final String REPORTER_PASSWORD = "Pg-Report-0c6f3e8b41";

	private static final String WRONG_PASSWORD = "Pg-Wrong-d83a1c6f50";

	private static final String WARNED = "(secrets.datasource.least-privilege=warn)";

	private final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();

	private final MockEnvironment environment = new MockEnvironment();

	private final List<HikariDataSource> pools = new ArrayList<>();

	/**
	 * The server starts here, not in whichever test comes first: each test's time is then its
	 * own, which PIT's time limit per test is computed from (the {@code mutation} profile).
	 */
	@BeforeAll
	static void startServer() {
		assertThat(Server.INSTANCE).isNotNull();
	}

	@AfterEach
	void closePools() {
		this.pools.forEach(HikariDataSource::close);
	}

	@Test
	void checkWhenRoleIsUnprivilegedAppUserKeepsThePoolOpen(CapturedOutput output) throws SQLException {
		HikariDataSource dataSource = pool("app_user", APP_PASSWORD);
		assertThat(check(dataSource)).isSameAs(dataSource);
		assertThat(dataSource.isClosed()).isFalse();
		try (Connection connection = dataSource.getConnection()) {
			assertThat(connection.getMetaData().getUserName()).isEqualTo("app_user");
		}
		assertThat(output).doesNotContain(WARNED).doesNotContain(APP_PASSWORD);
	}

	@Test
	void verificationWhenTheDatabaseStopsAnsweringAfterTheLoginGivesUpAtTheLimit() throws IOException {
		Matcher port = Pattern.compile(":(\\d+)/").matcher(Server.INSTANCE.jdbcUrl());
		assertThat(port.find()).isTrue();
		try (StalledProxy proxy = new StalledProxy(Integer.parseInt(port.group(1)))) {
			DataSourceRoleCheck.Login login = new DataSourceRoleCheck.Login() {

				@Override
				public Connection open() throws SQLException {
					Connection connection = DriverManager.getConnection(
							"jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres", "app_user", APP_PASSWORD);
					proxy.stall();
					return connection;
				}

				@Override
				public Duration queryTimeout() {
					return Duration.ofMillis(500);
				}

			};
			this.environment.setProperty("secrets.datasource.least-privilege", "fail");
			IllegalStateException failure = catchThrowableOfType(IllegalStateException.class,
					() -> DataSourceRoleCheck.verification(login, this.environment, List::of, true));
			assertThat(failure).hasMessageStartingWith("Could not check the privileges of the DataSource's login");
			assertThat(failure.getMessage()).doesNotContain(APP_PASSWORD);
		}
	}

	@Test
	void checkWhenSuperuserNotNamedPostgresRefusesAndClosesThePool(CapturedOutput output) {
		HikariDataSource dataSource = pool("boss", BOSS_PASSWORD);
		LeastPrivilegeException failure = refused(dataSource);
		assertThat(failure.getRole()).isEqualTo("boss");
		assertThat(failure.getViolations()).containsExactly("is a superuser");
		assertThat(failure.getMemberOf()).isEmpty();
		assertThat(failure.getGrants()).isEmpty();
		assertThat(failure).hasMessage("The application's DataSource logs in as PostgreSQL role 'boss', which"
				+ " is a superuser");
		assertThat(dataSource.isClosed()).isTrue();
		assertNoSecretIn(failure, output);
	}

	@Test
	void checkWhenRoleHasOnlyBypassRlsRefuses(CapturedOutput output) {
		HikariDataSource dataSource = pool("rls_skipper", SKIPPER_PASSWORD);
		LeastPrivilegeException failure = refused(dataSource);
		assertThat(failure.getRole()).isEqualTo("rls_skipper");
		assertThat(failure.getViolations()).containsExactly("has BYPASSRLS");
		assertThat(failure.getMemberOf()).isEmpty();
		assertThat(dataSource.isClosed()).isTrue();
		assertNoSecretIn(failure, output);
	}

	@Test
	void checkWhenRoleReachesSuperuserThroughAnotherRoleRefusesNamingTheGrantToRevoke(CapturedOutput output) {
		HikariDataSource dataSource = pool("reporter", REPORTER_PASSWORD);
		LeastPrivilegeException failure = refused(dataSource);
		assertThat(failure.getRole()).isEqualTo("reporter");
		assertThat(failure.getViolations()).containsExactly(
				"can become role 'boss' (SET ROLE), which is a superuser",
				"can become role 'rls_skipper' (SET ROLE), which has BYPASSRLS");
		assertThat(failure.getMemberOf()).containsExactly("boss", "rls_skipper");
		assertThat(failure.getGrants()).containsExactly("ops");
		assertThat(analyze(failure).getAction()).contains("REVOKE ops FROM reporter;");
		assertThat(dataSource.isClosed()).isTrue();
		assertNoSecretIn(failure, output);
	}

	@Test
	void checkWhenSuperuserIsAlsoAMemberAdvisesNoRevoke() {
		LeastPrivilegeException failure = refused(pool("boss_member", BOSS_PASSWORD));
		assertThat(failure.getViolations()).containsExactly("is a superuser");
		assertThat(failure.getMemberOf()).isEmpty();
		assertThat(failure.getGrants()).isEmpty();
		assertThat(analyze(failure).getAction()).doesNotContain("REVOKE");
	}

	@Test
	void checkWhenPasswordWrongFailsNamingUserAndPasswordPropertyWithoutValue(CapturedOutput output) {
		HikariDataSource dataSource = pool("app_user", WRONG_PASSWORD);
		this.environment.setProperty("spring.datasource.username", "app_user");
		DatabaseLoginException failure = catchThrowableOfType(DatabaseLoginException.class, () -> check(dataSource));
		assertThat(failure).isNotNull();
		assertThat(failure.getUsername()).isEqualTo("app_user");
		assertThat(failure.getUsernameProperty()).isEqualTo("spring.datasource.username");
		assertThat(failure.getMessage()).startsWith("The database refused the login of 'app_user' with the password"
				+ " in spring.datasource.password")
			.contains("[SQL state 28P01]");
		assertThat(dataSource.isClosed()).isTrue();
		assertNoSecretIn(failure, output);
	}

	@Test
	void checkWhenModeWarnLogsTheRuleAndKeepsThePoolOpen(CapturedOutput output) {
		this.environment.setProperty("secrets.datasource.least-privilege", "warn");
		HikariDataSource dataSource = pool("boss", BOSS_PASSWORD);
		assertThat(check(dataSource)).isSameAs(dataSource);
		assertThat(dataSource.isClosed()).isFalse();
		assertThat(output).contains("PostgreSQL role 'boss', which is a superuser " + WARNED);
		assertThat(output).doesNotContain(BOSS_PASSWORD);
	}

	@Test
	void checkWhenModeOffAcceptsASuperuserWithoutWarning(CapturedOutput output) {
		this.environment.setProperty("secrets.datasource.least-privilege", "off");
		HikariDataSource dataSource = pool("boss", BOSS_PASSWORD);
		assertThat(check(dataSource)).isSameAs(dataSource);
		assertThat(dataSource.isClosed()).isFalse();
		assertThat(output).doesNotContain("superuser").doesNotContain(BOSS_PASSWORD);
	}

	@Test
	void checkWhenModeOffStillExplainsARefusedPassword(CapturedOutput output) {
		this.environment.setProperty("secrets.datasource.least-privilege", "off");
		HikariDataSource dataSource = pool("app_user", WRONG_PASSWORD);
		DatabaseLoginException failure = catchThrowableOfType(DatabaseLoginException.class, () -> check(dataSource));
		assertThat(failure).isNotNull();
		assertThat(failure.getMessage()).contains("[SQL state 28P01]");
		assertNoSecretIn(failure, output);
	}

	@Test
	void checkWhenUsernameComesFromTheStarterDefaultsSaysSo() {
		this.environment.getPropertySources()
			.addLast(new MapPropertySource(SecretsEnvironmentPostProcessor.DEFAULTS_NAME,
					Map.of("spring.datasource.username", "boss")));
		assertThat(refused(pool("boss", BOSS_PASSWORD)).isUsernameSetExplicitly()).isFalse();
	}

	@Test
	void checkWhenApplicationSetsUsernameSaysSo() {
		this.environment.setProperty("spring.datasource.username", "boss");
		this.environment.getPropertySources()
			.addLast(new MapPropertySource(SecretsEnvironmentPostProcessor.DEFAULTS_NAME,
					Map.of("spring.datasource.username", "app_user")));
		assertThat(refused(pool("boss", BOSS_PASSWORD)).isUsernameSetExplicitly()).isTrue();
	}

	@Test
	void checkWhenUsernameNowhereSetSaysItIsNotSetExplicitly() {
		assertThat(refused(pool("boss", BOSS_PASSWORD)).isUsernameSetExplicitly()).isFalse();
	}

	@Test
	void checkWhenFlywayAndSqlInitUsedNamesThemAsSchemaTools() {
		this.beanFactory.registerBeanDefinition("flyway", new RootBeanDefinition(Flyway.class));
		this.beanFactory.registerBeanDefinition("dataSourceScriptDatabaseInitializer",
				new RootBeanDefinition(initializerType()));
		this.environment.setProperty("spring.sql.init.mode", "always");
		assertThat(refused(pool("boss", BOSS_PASSWORD)).getSchemaTools()).containsExactly(SchemaTool.FLYWAY,
				SchemaTool.SQL_INIT);
	}

	@Test
	void checkWhenSqlInitNotAlwaysLeavesItOut() {
		this.beanFactory.registerBeanDefinition("dataSourceScriptDatabaseInitializer",
				new RootBeanDefinition(initializerType()));
		this.environment.setProperty("spring.sql.init.mode", "embedded");
		assertThat(refused(pool("boss", BOSS_PASSWORD)).getSchemaTools()).isEmpty();
	}

	@Test
	void checkWhenBeanIsNotTheApplicationsRegisteredDataSourceLeavesItAlone() {
		this.beanFactory.registerBeanDefinition("dataSource",
				new RootBeanDefinition(DataSource.class, () -> pool("app_user", APP_PASSWORD)));
		HikariDataSource inner = pool("boss", BOSS_PASSWORD);
		assertThat(checker().postProcessAfterInitialization(inner, "reportingDataSource")).isSameAs(inner);
		assertThat(inner.isClosed()).isFalse();
	}

	@Test
	void checkWhenNoBeanFactoryToTellTheApplicationsDataSourceLeavesItAlone() {
		HikariDataSource dataSource = pool("boss", BOSS_PASSWORD);
		DataSourceRoleCheck check = new DataSourceRoleCheck();
		check.setEnvironment(this.environment);
		assertThat(check.postProcessAfterInitialization(dataSource, "dataSource")).isSameAs(dataSource);
		assertThat(dataSource.isClosed()).isFalse();
	}

	private static Class<?> initializerType() {
		try {
			return Class.forName(SchemaTool.SQL_INIT.beanClassName());
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private LeastPrivilegeException refused(DataSource dataSource) {
		LeastPrivilegeException failure = catchThrowableOfType(LeastPrivilegeException.class,
				() -> check(dataSource));
		assertThat(failure).as("refusal").isNotNull();
		return failure;
	}

	private FailureAnalysis analyze(LeastPrivilegeException failure) {
		return new LeastPrivilegeFailureAnalyzer(this.environment).analyze(failure);
	}

	private Object check(DataSource dataSource) {
		RootBeanDefinition definition = new RootBeanDefinition(DataSource.class, () -> dataSource);
		this.beanFactory.registerBeanDefinition("dataSource", definition);
		return checker().postProcessAfterInitialization(dataSource, "dataSource");
	}

	private DataSourceRoleCheck checker() {
		DataSourceRoleCheck check = new DataSourceRoleCheck();
		check.setBeanFactory(this.beanFactory);
		check.setEnvironment(this.environment);
		return check;
	}

	private HikariDataSource pool(String user, String password) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(Server.INSTANCE.jdbcUrl());
		dataSource.setUsername(user);
		dataSource.setPassword(password);
		dataSource.setMaximumPoolSize(1);
		this.pools.add(dataSource);
		return dataSource;
	}

	private static void assertNoSecretIn(Throwable failure, CapturedOutput output) {
		for (String secret : new String[] { ADMIN_PASSWORD, APP_PASSWORD, BOSS_PASSWORD, SKIPPER_PASSWORD,
				REPORTER_PASSWORD, WRONG_PASSWORD }) {
			assertThat(failure).hasMessageNotContaining(secret);
			assertThat(output).doesNotContain(secret);
		}
	}

	/**
	 * The server, started on first use and stopped when the JVM ends: by a shutdown hook, and,
	 * when the JVM is ended without running hooks (PIT halts a minion whose mutant timed out),
	 * by a reaper process that waits for this JVM to end.
	 */
	private static final class Server {

		static final PostgresTestServer INSTANCE = start();

		private static PostgresTestServer start() {
			try {
				PostgresTestServer server = PostgresTestServer.start(ADMIN_PASSWORD);
				Runtime.getRuntime().addShutdownHook(new Thread(() -> {
					try {
						server.close();
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				}));
				reapWithThisJvm(server);
				server.executeAsAdmin(
						"CREATE ROLE app_user LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '" + APP_PASSWORD + "'",
						"CREATE ROLE boss LOGIN SUPERUSER PASSWORD '" + BOSS_PASSWORD + "'",
						"CREATE ROLE rls_skipper LOGIN NOSUPERUSER BYPASSRLS PASSWORD '" + SKIPPER_PASSWORD + "'",
						"CREATE ROLE ops NOLOGIN NOSUPERUSER NOBYPASSRLS", "GRANT boss TO ops",
						"GRANT rls_skipper TO ops",
						"CREATE ROLE reporter LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '" + REPORTER_PASSWORD + "'",
						"GRANT ops TO reporter",
						"CREATE ROLE boss_member LOGIN SUPERUSER PASSWORD '" + BOSS_PASSWORD + "'",
						"GRANT ops TO boss_member");
				return server;
			}
			catch (IOException | SQLException ex) {
				throw new IllegalStateException("Could not start PostgreSQL for the role check tests", ex);
			}
		}

		private static void reapWithThisJvm(PostgresTestServer server) throws SQLException, IOException {
			Path dataDirectory;
			try (Connection connection = server.login("postgres", ADMIN_PASSWORD);
					Statement statement = connection.createStatement();
					ResultSet result = statement.executeQuery("SHOW data_directory")) {
				result.next();
				dataDirectory = Path.of(result.getString(1));
			}
			String postmaster = Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim();
			String script = "tail --pid=" + ProcessHandle.current().pid() + " -f /dev/null; kill -INT " + postmaster
					+ " 2>/dev/null; while kill -0 " + postmaster + " 2>/dev/null; do sleep 0.2; done; rm -rf '"
					+ dataDirectory + "'";
			new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}

	}

}
