package dev.mountedsecrets;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mountedsecrets.jdbc.DatabaseLoginException;
import dev.mountedsecrets.jdbc.LeastPrivilegeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.mountedsecrets.autoconfigure.MountedSecretsAutoConfiguration;
import dev.mountedsecrets.autoconfigure.MountedSecretsJdbcAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The DataSource, Flyway and {@code spring.sql.init} against a real MariaDB server: the pool
 * logs in as {@code app_user} with rights on rows only, the migration or the scripts as
 * {@code root} with the admin secret; a login that holds any privilege over the server or the schema, itself or through
 * a role, is refused before Flyway or anything else ran; a wrong password is explained. The
 * pre-flight check applies the same MariaDB rules.
 */
@ExtendWith(OutputCaptureExtension.class)
class MariaDbIT {

	private static final String ADMIN_PASSWORD = "Maria-Admin-6b2e0d9c41";

	private static final String APP_PASSWORD = "Maria-App-1f7c3a8e52";

	private static final String OTHER_PASSWORD = "Maria-Other-93d0b6e7a8";

	private static final String WRONG_PASSWORD = "Maria-Wrong-5a4c2e1f07";

	private static final String DATA_RIGHTS = "SELECT, INSERT, UPDATE, DELETE ON app.*";

	private static MariaDbTestServer mariadb;

	@TempDir
	Path secrets;

	@BeforeAll
	static void startMariaDb() throws Exception {
		mariadb = MariaDbTestServer.start(ADMIN_PASSWORD);
		mariadb.createUser("app_user", APP_PASSWORD);
		mariadb.executeAsAdmin("GRANT " + DATA_RIGHTS + " TO 'app_user'@'%'", "CREATE ROLE ddl_role",
				"GRANT DROP ON app.* TO ddl_role", "CREATE ROLE ops", "GRANT ddl_role TO ops");
	}

	@AfterAll
	static void stopMariaDb() throws Exception {
		mariadb.close();
	}

	@AfterEach
	void dropSchema() throws Exception {
		mariadb.executeAsAdmin("DROP TABLE IF EXISTS app.notes", "DROP TABLE IF EXISTS app.flyway_schema_history");
	}

	@Test
	void startWhenSecretsRightPoolRunsAsAppUserAndFlywayAsRoot(CapturedOutput output) throws SQLException {
		writeSecrets(APP_PASSWORD);
		try (ConfigurableApplicationContext context = run()) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("SELECT CURRENT_USER()", String.class)).isEqualTo("app_user@%");
			assertThat(migratedBy()).isEqualTo("root");
			assertThat(jdbc.queryForList("SELECT body FROM notes", String.class)).containsExactly("migrated note");
			jdbc.update("INSERT INTO notes (body) VALUES ('written by the application')");
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notes", Integer.class)).isEqualTo(2);
			Throwable ddl = catchThrowable(() -> jdbc.execute("DROP TABLE notes"));
			assertThat(ddl).hasStackTraceContaining("DROP command denied to user 'app_user'");
		}
		assertThat(output).doesNotContain("least-privilege does not apply").contains(" TRACE ");
		assertNoSecretIn(output);
	}

	@Test
	void startWhenSqlInitRunsAsAdminTheApplicationStillLogsInAsAppUser() throws SQLException {
		writeSecrets(APP_PASSWORD);
		try (ConfigurableApplicationContext context = run("--spring.flyway.enabled=false",
				"--spring.sql.init.mode=always", "--spring.sql.init.username=" + MariaDbTestServer.ADMIN,
				"--spring.sql.init.schema-locations=classpath:db/mariadb-init/schema.sql")) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("SELECT CURRENT_USER()", String.class)).isEqualTo("app_user@%");
			assertThat(jdbc.queryForList("SELECT body FROM notes", String.class)).containsExactly("initialised note");
		}
		assertThat(tables()).containsExactly("notes");
	}

	@ParameterizedTest(name = "{0} {1}")
	@CsvSource(delimiter = '|', textBlock = """
			SUPER                 | *.*       | holds SUPER on *.* (the whole server)
			ALL PRIVILEGES        | *.*       | holds ALL PRIVILEGES on *.* (the whole server)
			FILE                  | *.*       | holds FILE on *.* (the whole server)
			PROCESS               | *.*       | holds PROCESS on *.* (the whole server)
			SHUTDOWN              | *.*       | holds SHUTDOWN on *.* (the whole server)
			CREATE USER           | *.*       | holds CREATE USER on *.* (the whole server)
			RELOAD                | *.*       | holds RELOAD on *.* (the whole server)
			SELECT                | *.*       | holds SELECT on *.* (the whole server)
			SELECT                | mysql.*   | holds SELECT on `mysql`.* (the server's accounts and grants)
			CREATE                | app.*     | holds CREATE on `app`.*
			DROP                  | app.*     | holds DROP on `app`.*
			ALTER                 | app.*     | holds ALTER on `app`.*
			INDEX                 | app.*     | holds INDEX on `app`.*
			REFERENCES            | app.*     | holds REFERENCES on `app`.*
			TRIGGER               | app.*     | holds TRIGGER on `app`.*
			CREATE VIEW           | app.*     | holds CREATE VIEW on `app`.*
			CREATE ROUTINE        | app.*     | holds CREATE ROUTINE on `app`.*
			EVENT                 | app.*     | holds EVENT on `app`.*
			ALL PRIVILEGES        | app.*     | holds ALL PRIVILEGES on `app`.*
			""")
	void startWhenLoginHoldsOnePrivilegeTooManyRefusesBeforeAnyMigration(String privilege, String object,
			String violation, CapturedOutput output) throws SQLException {
		String user = "holder_" + Math.abs((privilege + object).hashCode());
		mariadb.createUser(user, OTHER_PASSWORD);
		mariadb.executeAsAdmin("GRANT " + DATA_RIGHTS + " TO '" + user + "'@'%'",
				"GRANT " + privilege + " ON " + object + " TO '" + user + "'@'%'");
		try {
			writeSecrets(OTHER_PASSWORD);
			Throwable failure = catchThrowable(() -> run("--spring.datasource.username=" + user));
			LeastPrivilegeException refused = Causes.find(failure, LeastPrivilegeException.class);
			assertThat(refused.getDatabase()).isEqualTo("MariaDB");
			assertThat(refused.getRole()).isEqualTo("'" + user + "'@'%'");
			assertThat(refused.getViolations()).containsExactly(violation);
			assertThat(refused.getRevocations()).containsExactly("REVOKE " + privilege + " ON "
					+ violation.substring(violation.indexOf(" on ") + 4).replace(" (the whole server)", "")
						.replace(" (the server's accounts and grants)", "")
					+ " FROM '" + user + "'@'%';");
			assertThat(output).contains("APPLICATION FAILED TO START")
				.contains("The application's DataSource logs in as MariaDB user '" + user + "'@'%', which " + violation)
				.contains("Flyway keeps its own login as the admin role (spring.flyway.user, spring.flyway.password)");
			assertThat(tables()).as("no table created by a refused login").isEmpty();
			assertNoSecretIn(output);
		}
		finally {
			mariadb.executeAsAdmin("DROP USER '" + user + "'@'%'");
		}
	}

	@Test
	void startWhenGrantOptionHeldRefuses() throws SQLException {
		mariadb.createUser("granter", OTHER_PASSWORD);
		mariadb.executeAsAdmin("GRANT " + DATA_RIGHTS + " TO 'granter'@'%' WITH GRANT OPTION");
		writeSecrets(OTHER_PASSWORD);
		Throwable failure = catchThrowable(() -> run("--spring.datasource.username=granter"));
		assertThat(Causes.find(failure, LeastPrivilegeException.class).getViolations())
			.containsExactly("holds GRANT OPTION on `app`.*");
		assertThat(tables()).isEmpty();
	}

	@Test
	void startWhenDefaultRoleHoldsDropRefusesNamingTheRoleToRevoke(CapturedOutput output) throws SQLException {
		mariadb.createUser("role_user", OTHER_PASSWORD);
		mariadb.executeAsAdmin("GRANT " + DATA_RIGHTS + " TO 'role_user'@'%'", "GRANT ddl_role TO 'role_user'@'%'",
				"SET DEFAULT ROLE ddl_role FOR 'role_user'@'%'");
		writeSecrets(OTHER_PASSWORD);
		Throwable failure = catchThrowable(() -> run("--spring.datasource.username=role_user"));
		LeastPrivilegeException refused = Causes.find(failure, LeastPrivilegeException.class);
		assertThat(refused.getViolations()).containsExactly(
				"can use role `ddl_role` (its default role, enabled at login), which holds DROP on `app`.*");
		assertThat(refused.getMemberOf()).containsExactly("`ddl_role`");
		assertThat(refused.getRevocations()).containsExactly("REVOKE `ddl_role` FROM 'role_user'@'%';");
		assertThat(output).contains("As the admin, run REVOKE `ddl_role` FROM 'role_user'@'%';");
		assertThat(tables()).isEmpty();
	}

	@Test
	void startWhenRoleHasDropThroughAnotherRoleRefusesNamingTheGrantedRole() throws SQLException {
		mariadb.createUser("nested_user", OTHER_PASSWORD);
		mariadb.executeAsAdmin("GRANT " + DATA_RIGHTS + " TO 'nested_user'@'%'", "GRANT ops TO 'nested_user'@'%'");
		writeSecrets(OTHER_PASSWORD);
		Throwable failure = catchThrowable(() -> run("--spring.datasource.username=nested_user"));
		LeastPrivilegeException refused = Causes.find(failure, LeastPrivilegeException.class);
		assertThat(refused.getViolations())
			.containsExactly("can use role `ops` (SET ROLE), which holds DROP on `app`.*");
		assertThat(refused.getMemberOf()).containsExactly("`ops`");
		assertThat(refused.getGrants()).containsExactly("`ops`");
		assertThat(refused.getRevocations()).containsExactly("REVOKE `ops` FROM 'nested_user'@'%';");
		assertThat(tables()).isEmpty();
	}

	@Test
	void startWhenRolesHoldRightsOnRowsOnlyStartsWithTheDefaultRoleStillEnabled() throws SQLException {
		mariadb.createUser("reader_user", OTHER_PASSWORD);
		mariadb.executeAsAdmin("CREATE ROLE reader", "GRANT SELECT ON app.* TO reader", "CREATE ROLE writer",
				"GRANT INSERT, UPDATE, DELETE ON app.* TO writer",
				"GRANT reader TO 'reader_user'@'%'", "GRANT writer TO 'reader_user'@'%'",
				"SET DEFAULT ROLE reader FOR 'reader_user'@'%'");
		writeSecrets(OTHER_PASSWORD);
		try (ConfigurableApplicationContext context = run("--spring.datasource.username=reader_user",
				"--spring.datasource.hikari.maximum-pool-size=1")) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("SELECT CURRENT_ROLE()", String.class)).isEqualTo("reader");
			assertThat(jdbc.queryForList("SELECT body FROM notes", String.class)).containsExactly("migrated note");
		}
	}

	@Test
	void startWhenAppPasswordWrongFailsNamingUserAndFile(CapturedOutput output) throws SQLException {
		writeSecrets(WRONG_PASSWORD);
		Throwable failure = catchThrowable(this::run);
		DatabaseLoginException login = Causes.find(failure, DatabaseLoginException.class);
		assertThat(login.getMessage()).contains("'app_user'")
			.contains(this.secrets.resolve("db_password_server").toString())
			.contains("Access denied for user 'app_user'")
			.contains("28000");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("ALTER USER 'app_user'@'%' IDENTIFIED BY ...");
		assertThat(tables()).isEmpty();
		assertNoSecretIn(output);
		assertThat(output).doesNotContain(WRONG_PASSWORD);
	}

	@Test
	void startWhenLeastPrivilegeWarnStartsAndWarns(CapturedOutput output) throws SQLException {
		mariadb.createUser("warned", OTHER_PASSWORD);
		mariadb.executeAsAdmin("GRANT " + DATA_RIGHTS + " TO 'warned'@'%'", "GRANT CREATE, DROP, ALTER ON app.* TO 'warned'@'%'");
		writeSecrets(OTHER_PASSWORD);
		try (ConfigurableApplicationContext context = run("--spring.datasource.username=warned",
				"--secrets.datasource.least-privilege=warn")) {
			assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT CURRENT_USER()", String.class))
				.isEqualTo("warned@%");
		}
		assertThat(output).contains("WARN")
			.contains("MariaDB user 'warned'@'%', which holds CREATE, DROP, ALTER on `app`.*"
					+ " (secrets.datasource.least-privilege=warn)");
	}

	@Test
	void preflightAppliesTheMariaDbRulesAsStartUpDoes() throws SQLException {
		writeSecrets(APP_PASSWORD);
		PreflightReport report = preflight();
		assertThat(report.status()).as(report.render(PreflightFormat.TEXT)).isEqualTo(PreflightStatus.PASSED);
		assertThat(report.findings()).filteredOn((finding) -> finding.subject().equals("spring.datasource (app_user)"))
			.singleElement()
			.satisfies((finding) -> assertThat(finding.description())
				.isEqualTo("Logged in as 'app_user'; the user passes the least-privilege rules of MariaDB"));
		assertNoSecretIn(report);
	}

	@Test
	void preflightWhenTheUserHoldsDropExitsWithFourNamingTheRevocation() throws SQLException {
		mariadb.createUser("preflight_ddl", OTHER_PASSWORD);
		mariadb.executeAsAdmin("GRANT " + DATA_RIGHTS + " TO 'preflight_ddl'@'%'",
				"GRANT DROP ON app.* TO 'preflight_ddl'@'%'");
		try {
			writeSecrets(OTHER_PASSWORD);
			PreflightReport report = preflight("spring.datasource.username", "preflight_ddl");
			assertThat(report.status()).isEqualTo(PreflightStatus.DATABASE_ROLE_PRIVILEGED);
			assertThat(report.exitCode()).isEqualTo(4);
			assertThat(report.render(PreflightFormat.TEXT))
				.contains("logs in as MariaDB user 'preflight_ddl'@'%', which holds DROP on `app`.*")
				.contains("REVOKE DROP ON `app`.* FROM 'preflight_ddl'@'%';");
			assertNoSecretIn(report);
			PreflightReport warned = preflight("spring.datasource.username", "preflight_ddl",
					"secrets.datasource.least-privilege", "warn");
			assertThat(warned.status()).isEqualTo(PreflightStatus.PASSED);
			assertThat(warned.findings()).filteredOn(PreflightFinding::warning)
				.singleElement()
				.satisfies((warning) -> assertThat(warning.description()).contains("which holds DROP on `app`.*")
					.contains("(secrets.datasource.least-privilege=warn)"));
		}
		finally {
			mariadb.executeAsAdmin("DROP USER 'preflight_ddl'@'%'");
		}
		assertThat(tables()).isEmpty();
	}

	private PreflightReport preflight(String... keyValues) {
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("secrets.dir", this.secrets.toString());
		settings.put("secrets.preflight.enabled", "true");
		settings.put("secrets.preflight.database", "true");
		settings.put("spring.datasource.url", mariadb.jdbcUrl());
		settings.put("spring.flyway.user", MariaDbTestServer.ADMIN);
		settings.put("spring.liquibase.user", MariaDbTestServer.ADMIN);
		settings.put("spring.sql.init.username", MariaDbTestServer.ADMIN);
		for (int i = 0; i < keyValues.length; i += 2) {
			settings.put(keyValues[i], keyValues[i + 1]);
		}
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
		List<PreflightReport> reports = new ArrayList<>();
		new SecretsEnvironmentPostProcessor((destination) -> destination.get(), SecretsSourceFactory.PLAIN,
				(report, format) -> reports.add(report))
			.postProcessEnvironment(environment, new SpringApplication());
		assertThat(reports).hasSize(1);
		return reports.get(0);
	}

	private static void assertNoSecretIn(PreflightReport report) {
		for (PreflightFormat format : PreflightFormat.values()) {
			assertThat(report.render(format)).doesNotContain(ADMIN_PASSWORD)
				.doesNotContain(APP_PASSWORD)
				.doesNotContain(OTHER_PASSWORD);
		}
	}

	private void writeSecrets(String appPassword) {
		SecretFiles.write(this.secrets, "db_password_server", appPassword);
		SecretFiles.write(this.secrets, "postgres_password", ADMIN_PASSWORD);
	}

	private static String migratedBy() throws SQLException {
		try (Connection connection = mariadb.login(MariaDbTestServer.ADMIN, ADMIN_PASSWORD);
				ResultSet result = connection.createStatement()
					.executeQuery("SELECT installed_by FROM flyway_schema_history WHERE version = '1'")) {
			assertThat(result.next()).isTrue();
			return result.getString(1);
		}
	}

	private static List<String> tables() throws SQLException {
		List<String> tables = new ArrayList<>();
		try (Connection connection = mariadb.login(MariaDbTestServer.ADMIN, ADMIN_PASSWORD);
				ResultSet result = connection.createStatement()
					.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'app'")) {
			while (result.next()) {
				tables.add(result.getString(1));
			}
		}
		return tables;
	}

	private ConfigurableApplicationContext run(String... args) {
		List<String> all = new ArrayList<>(List.of("--secrets.dir=" + this.secrets,
				"--spring.datasource.url=" + mariadb.jdbcUrl(), "--spring.datasource.hikari.connection-timeout=2000",
				"--spring.flyway.user=" + MariaDbTestServer.ADMIN,
				"--spring.flyway.locations=classpath:db/mariadb-migration", "--logging.level.root=TRACE"));
		all.addAll(List.of(args));
		return TestApplications.application(JdbcApplication.class, WebApplicationType.NONE, Map.of())
			.run(all.toArray(String[]::new));
	}

	private static void assertNoSecretIn(CapturedOutput output) {
		assertThat(output.getAll()).doesNotContain(ADMIN_PASSWORD)
			.doesNotContain(APP_PASSWORD)
			.doesNotContain(OTHER_PASSWORD);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
			FlywayAutoConfiguration.class, DataSourceInitializationAutoConfiguration.class,
			MountedSecretsAutoConfiguration.class,
			MountedSecretsJdbcAutoConfiguration.class })
	static class JdbcApplication {

	}

}
