package dev.mountedsecrets;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
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

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import dev.mountedsecrets.autoconfigure.MountedSecretsAutoConfiguration;
import dev.mountedsecrets.autoconfigure.MountedSecretsJdbcAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The DataSource and Flyway against a real PostgreSQL server: the pool logs in as
 * {@code app_user} under row-level security, migrations as {@code postgres}, a wrong password
 * fails clearly, and a privileged application role is refused.
 */
@ExtendWith(OutputCaptureExtension.class)
class PostgresIT {

	private static final String ADMIN_PASSWORD = "Pg-Admin-5d1e9b0c72";

	private static final String APP_PASSWORD = "Pg-App-8c3f0a21e9";

	private static final String BYPASS_PASSWORD = "Pg-Bypass-41ad9c3e";

	private static final String WRONG_PASSWORD = "Pg-Wrong-0b7e2d11";

	private static PostgresTestServer postgres;

	@TempDir
	Path secrets;

	@BeforeAll
	static void startPostgres() throws Exception {
		postgres = PostgresTestServer.start(ADMIN_PASSWORD);
		postgres.executeAsAdmin("CREATE ROLE app_user LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '" + APP_PASSWORD + "'",
				"CREATE ROLE rls_skipper LOGIN NOSUPERUSER BYPASSRLS PASSWORD '" + BYPASS_PASSWORD + "'");
	}

	@AfterAll
	static void stopPostgres() throws Exception {
		postgres.close();
	}

	@AfterEach
	void dropSchema() throws Exception {
		postgres.executeAsAdmin("DROP TABLE IF EXISTS notes", "DROP TABLE IF EXISTS flyway_schema_history");
	}

	@Test
	void startWhenSecretsRightPoolRunsAsAppUserUnderRowLevelSecurity(CapturedOutput output) throws SQLException {
		SecretFiles.write(this.secrets, "db_password_server", APP_PASSWORD);
		SecretFiles.write(this.secrets, "postgres_password", ADMIN_PASSWORD);
		try (ConfigurableApplicationContext context = run()) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("SELECT current_user", String.class)).isEqualTo("app_user");
			assertThat(jdbc.queryForObject("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user",
					Boolean.class))
				.isFalse();
			assertThat(migratedBy()).isEqualTo("postgres");
			TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
			assertThat(notesOf(jdbc, transactions, "tenant-a")).containsExactly("note of a");
			assertThat(notesOf(jdbc, transactions, "tenant-b")).containsExactly("note of b");
			assertThat(jdbc.queryForList("SELECT body FROM notes", String.class)).isEmpty();
			Throwable crossTenantInsert = catchThrowable(() -> transactions.executeWithoutResult((status) -> {
				jdbc.queryForObject("SELECT set_config('app.tenant', 'tenant-a', true)", String.class);
				jdbc.update("INSERT INTO notes (tenant, body) VALUES ('tenant-b', 'forged')");
			}));
			assertThat(crossTenantInsert).rootCause()
				.hasMessageStartingWith("ERROR: new row violates row-level security policy for table \"notes\"");
		}
		assertNoSecretIn(output);
	}

	@Test
	void startWhenAppPasswordWrongFailsNamingUserAndFile(CapturedOutput output) {
		SecretFiles.write(this.secrets, "db_password_server", WRONG_PASSWORD);
		SecretFiles.write(this.secrets, "postgres_password", ADMIN_PASSWORD);
		Throwable failure = catchThrowable(this::run);
		assertThat(failure).hasRootCauseInstanceOf(org.postgresql.util.PSQLException.class);
		DatabaseLoginException login = Causes.find(failure, DatabaseLoginException.class);
		assertThat(login.getMessage()).contains("'app_user'")
			.contains(this.secrets.resolve("db_password_server").toString())
			.contains("password authentication failed")
			.contains("28P01");
		assertThat(output).contains("APPLICATION FAILED TO START").contains("ALTER ROLE app_user PASSWORD");
		assertNoSecretIn(output);
		assertThat(output).doesNotContain(WRONG_PASSWORD);
	}

	@Test
	void startWhenAdminPasswordWrongMigrationFails(CapturedOutput output) {
		SecretFiles.write(this.secrets, "db_password_server", APP_PASSWORD);
		SecretFiles.write(this.secrets, "postgres_password", WRONG_PASSWORD);
		Throwable failure = catchThrowable(this::run);
		assertThat(failure).isNotNull();
		assertThat(failure).hasStackTraceContaining("password authentication failed for user \"postgres\"");
		assertThat(output).contains("The database refused the login of 'postgres' with the password in"
				+ " spring.flyway.password from " + this.secrets.resolve("postgres_password"))
			.contains("spring.flyway.user names the right role");
		assertNoSecretIn(output);
		assertThat(output).doesNotContain(WRONG_PASSWORD);
	}

	@Test
	void startWhenAppRoleIsPostgresRefusesToStart(CapturedOutput output) {
		SecretFiles.write(this.secrets, "db_password_server", ADMIN_PASSWORD);
		SecretFiles.write(this.secrets, "postgres_password", ADMIN_PASSWORD);
		Throwable failure = catchThrowable(() -> run("--spring.datasource.username=postgres"));
		LeastPrivilegeException ex = Causes.find(failure, LeastPrivilegeException.class);
		assertThat(ex.getRole()).isEqualTo("postgres");
		assertThat(ex.getViolations()).containsExactly("is a superuser", "has BYPASSRLS",
				"is the admin role 'postgres'");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("must use an unprivileged role")
			.contains("Flyway keeps its own login as the admin role (spring.flyway.user, spring.flyway.password)")
			.doesNotContain("spring.sql.init has no login")
			.contains("secrets.datasource.least-privilege=warn");
		assertNoSecretIn(output);
	}

	@Test
	void startWhenAppRoleBypassesRowLevelSecurityRefusesToStart() {
		SecretFiles.write(this.secrets, "db_password_server", BYPASS_PASSWORD);
		SecretFiles.write(this.secrets, "postgres_password", ADMIN_PASSWORD);
		Throwable failure = catchThrowable(() -> run("--spring.datasource.username=rls_skipper"));
		assertThat(Causes.find(failure, LeastPrivilegeException.class).getViolations()).containsExactly("has BYPASSRLS");
	}

	@Test
	void startWhenLeastPrivilegeWarnStartsAndWarns(CapturedOutput output) {
		SecretFiles.write(this.secrets, "db_password_server", BYPASS_PASSWORD);
		SecretFiles.write(this.secrets, "postgres_password", ADMIN_PASSWORD);
		try (ConfigurableApplicationContext context = run("--spring.datasource.username=rls_skipper",
				"--secrets.datasource.least-privilege=warn")) {
			assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT current_user", String.class))
				.isEqualTo("rls_skipper");
		}
		assertThat(output).contains("WARN").contains("PostgreSQL role 'rls_skipper', which has BYPASSRLS");
	}

	@Test
	void startWhenLeastPrivilegeOffStartsWithoutChecking() {
		SecretFiles.write(this.secrets, "db_password_server", BYPASS_PASSWORD);
		SecretFiles.write(this.secrets, "postgres_password", ADMIN_PASSWORD);
		try (ConfigurableApplicationContext context = run("--spring.datasource.username=rls_skipper",
				"--secrets.datasource.least-privilege=off")) {
			assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT current_user", String.class))
				.isEqualTo("rls_skipper");
		}
	}

	@Test
	void loginWhenPasswordFromSecretFileServerAcceptsItAndRejectsOthers() throws Exception {
		try (Connection connection = postgres.login("app_user", APP_PASSWORD)) {
			assertThat(connection.isValid(1)).isTrue();
		}
		assertThatExceptionOfType(org.postgresql.util.PSQLException.class)
			.isThrownBy(() -> postgres.login("app_user", WRONG_PASSWORD))
			.withMessageContaining("password authentication failed");
	}

	private static String migratedBy() throws SQLException {
		try (Connection connection = postgres.login("postgres", ADMIN_PASSWORD);
				ResultSet result = connection.createStatement()
					.executeQuery("SELECT installed_by FROM flyway_schema_history WHERE version = '1'")) {
			assertThat(result.next()).isTrue();
			return result.getString(1);
		}
	}

	private ConfigurableApplicationContext run(String... args) {
		List<String> all = new ArrayList<>(List.of("--secrets.dir=" + this.secrets,
				"--spring.datasource.url=" + postgres.jdbcUrl(), "--spring.datasource.hikari.connection-timeout=2000",
				"--spring.flyway.locations=classpath:db/it-migration", "--logging.level.root=TRACE"));
		all.addAll(List.of(args));
		return TestApplications.application(JdbcApplication.class, WebApplicationType.NONE, Map.of())
			.run(all.toArray(String[]::new));
	}

	private static List<String> notesOf(JdbcTemplate jdbc, TransactionTemplate transactions, String tenant) {
		return transactions.execute((status) -> {
			jdbc.queryForObject("SELECT set_config('app.tenant', ?, true)", String.class, tenant);
			return jdbc.queryForList("SELECT body FROM notes ORDER BY id", String.class);
		});
	}

	private static void assertNoSecretIn(CapturedOutput output) {
		assertThat(output.getAll()).doesNotContain(ADMIN_PASSWORD)
			.doesNotContain(APP_PASSWORD)
			.doesNotContain(BYPASS_PASSWORD);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
			TransactionAutoConfiguration.class, JdbcTemplateAutoConfiguration.class, FlywayAutoConfiguration.class,
			MountedSecretsAutoConfiguration.class, MountedSecretsJdbcAutoConfiguration.class })
	static class JdbcApplication {

	}

}
