package dev.mountedsecrets;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mountedsecrets.actuate.SecretsEndpoint;
import dev.mountedsecrets.jdbc.DatabaseLoginException;
import dev.mountedsecrets.jdbc.LeastPrivilegeException;
import dev.mountedsecrets.jdbc.SchemaTool;
import dev.mountedsecrets.jpa.JpaApplication;
import dev.mountedsecrets.jpa.JpaNote;
import dev.mountedsecrets.jpa.JpaNoteRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A typical JPA application with {@code schema.sql}/{@code data.sql} and no Flyway, against
 * a real PostgreSQL server: the scripts run as the admin, the pool as {@code app_user}; a
 * privileged application role is refused before any statement of the application reaches the
 * database; a refused login is explained whatever opened the connection.
 */
@ExtendWith(OutputCaptureExtension.class)
class JpaSqlInitIT {

	private static final String ADMIN_PASSWORD = "Jpa-Admin-6f2c0e91d4";

	private static final String APP_PASSWORD = "Jpa-App-3b8d71a0c5";

	private static final String BOSS_PASSWORD = "Jpa-Boss-c40e9f2b17";

	private static final String MEMBER_PASSWORD = "Jpa-Member-8e15a3d6b0";

	private static final String WRONG_PASSWORD = "Jpa-Wrong-2a9c64f8e3";

	private static PostgresTestServer postgres;

	@TempDir
	Path secrets;

	@BeforeAll
	static void startPostgres() throws Exception {
		postgres = PostgresTestServer.start(ADMIN_PASSWORD);
		// The README's "Database set-up" for spring.sql.init applications, as a DBA runs it once.
		postgres.executeAsAdmin(
				"CREATE ROLE app_user LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD '"
						+ APP_PASSWORD + "'",
				"REVOKE CREATE ON SCHEMA public FROM PUBLIC", "GRANT USAGE ON SCHEMA public TO app_user",
				"ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public"
						+ " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO app_user",
				"ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO app_user",
				// A superuser that is not called postgres.
				"CREATE ROLE boss LOGIN SUPERUSER PASSWORD '" + BOSS_PASSWORD + "'",
				// Plain attributes, but a member of a member of postgres: SET ROLE postgres works.
				"CREATE ROLE staff NOLOGIN NOSUPERUSER NOBYPASSRLS", "GRANT postgres TO staff",
				"CREATE ROLE member_user LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '" + MEMBER_PASSWORD + "'",
				"GRANT staff TO member_user");
	}

	@AfterAll
	static void stopPostgres() throws Exception {
		postgres.close();
	}

	@AfterEach
	void dropSchema() throws Exception {
		postgres.executeAsAdmin("DROP TABLE IF EXISTS jpa_notes");
	}

	@Test
	void startWhenLeastPrivilegedScriptsRunAsAdminAndJpaAsAppUser(CapturedOutput output) throws SQLException {
		SecretFiles.write(this.secrets, "db_password_server", APP_PASSWORD);
		SecretFiles.write(this.secrets, "postgres_password", ADMIN_PASSWORD);
		try (ConfigurableApplicationContext context = run("--spring.jpa.hibernate.ddl-auto=validate")) {
			assertThat(tableOwner()).isEqualTo("postgres");
			JpaNoteRepository notes = context.getBean(JpaNoteRepository.class);
			assertThat(notes.findByBody("written by data.sql")).hasSize(1);
			JpaNote saved = notes.save(new JpaNote("written by the application"));
			assertThat(notes.findById(saved.getId())).isPresent();
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("SELECT current_user", String.class)).isEqualTo("app_user");
			assertThat(catchThrowable(() -> jdbc.execute("CREATE TABLE escape (id int)"))).rootCause()
				.hasMessageContaining("permission denied for schema public");
			SecretsEndpoint endpoint = new SecretsEndpoint(context.getBean(MountedSecrets.class),
					context.getBeanFactory());
			assertThat(endpoint.secrets().secrets()).filteredOn((secret) -> secret.name().equals("postgres_password"))
				.singleElement()
				.satisfies((secret) -> assertThat(secret.consumers()).containsExactly("SQL init scripts"));
		}
		assertThat(output).contains("db_password_server -> spring.datasource.password; username app_user (default)")
			.contains("postgres_password -> spring.flyway.password, spring.liquibase.password,"
					+ " spring.sql.init.password; user postgres (default)");
		assertNoSecretIn(output);
	}

	@Test
	void startWhenAppRoleIsSuperuserRefusesBeforeScriptsOrHibernateRun(CapturedOutput output) throws SQLException {
		SecretFiles.write(this.secrets, "db_password_server", BOSS_PASSWORD);
		Throwable failure = catchThrowable(
				() -> run("--spring.datasource.username=boss", "--spring.jpa.hibernate.ddl-auto=create"));
		LeastPrivilegeException refusal = Causes.find(failure, LeastPrivilegeException.class);
		assertThat(refusal.getRole()).isEqualTo("boss");
		assertThat(refusal.getViolations()).containsExactly("is a superuser");
		assertThat(refusal.getSchemaTools()).containsExactly(SchemaTool.SQL_INIT);
		assertThat(tableExists()).as("schema.sql or Hibernate created jpa_notes as the superuser").isFalse();
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("PostgreSQL role 'boss', which is a superuser")
			.contains("spring.sql.init has no login of its own")
			.contains("or remove it to use the default app_user")
			.contains("db_password_server -> spring.datasource.password; spring.datasource.username set by"
					+ " commandLineArgs overrides the default app_user")
			.doesNotContain("Flyway keeps")
			.doesNotContain("Unable to determine Dialect");
		assertNoSecretIn(output);
	}

	@Test
	void startWhenAppRoleIsMemberOfSuperuserRefusesBeforeDataScriptWritesRow(CapturedOutput output)
			throws SQLException {
		postgres.executeAsAdmin("CREATE TABLE jpa_notes (id BIGSERIAL PRIMARY KEY, body VARCHAR(200) NOT NULL)",
				"GRANT ALL ON jpa_notes, jpa_notes_id_seq TO member_user");
		SecretFiles.write(this.secrets, "db_password_server", MEMBER_PASSWORD);
		Throwable failure = catchThrowable(() -> run("--spring.datasource.username=member_user"));
		LeastPrivilegeException refusal = Causes.find(failure, LeastPrivilegeException.class);
		assertThat(refusal.getRole()).isEqualTo("member_user");
		assertThat(refusal.getMemberOf()).containsExactly("postgres");
		assertThat(refusal.getGrants()).containsExactly("staff");
		assertThat(refusal.getViolations()).singleElement()
			.asString()
			.isEqualTo("can become role 'postgres' (SET ROLE), which is a superuser and has BYPASSRLS");
		assertThat(rowCount()).as("data.sql wrote through the refused DataSource").isZero();
		assertThat(output).contains("REVOKE staff FROM member_user;");
		assertNoSecretIn(output);
	}

	@Test
	void startWhenAppPasswordWrongExplainsLoginNotDialect(CapturedOutput output) {
		SecretFiles.write(this.secrets, "db_password_server", WRONG_PASSWORD);
		SecretFiles.write(this.secrets, "postgres_password", ADMIN_PASSWORD);
		assertLoginOfAppUserExplained(catchThrowable(this::run), output);
	}

	@Test
	void startWhenAppPasswordWrongAndCheckOffStillExplainsLogin(CapturedOutput output) {
		SecretFiles.write(this.secrets, "db_password_server", WRONG_PASSWORD);
		SecretFiles.write(this.secrets, "postgres_password", ADMIN_PASSWORD);
		assertLoginOfAppUserExplained(catchThrowable(() -> run("--secrets.datasource.least-privilege=off")), output);
	}

	@Test
	void startWhenAdminPasswordWrongExplainsScriptLogin(CapturedOutput output) throws SQLException {
		SecretFiles.write(this.secrets, "db_password_server", APP_PASSWORD);
		SecretFiles.write(this.secrets, "postgres_password", WRONG_PASSWORD);
		Throwable failure = catchThrowable(this::run);
		assertThat(failure).hasStackTraceContaining("28P01");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The database refused the login of 'postgres' with the password in spring.sql.init.password from "
					+ this.secrets.resolve("postgres_password"))
			.contains("spring.sql.init.username names the right role");
		assertThat(tableExists()).isFalse();
		assertNoSecretIn(output);
	}

	private void assertLoginOfAppUserExplained(Throwable failure, CapturedOutput output) {
		DatabaseLoginException login = Causes.find(failure, DatabaseLoginException.class);
		assertThat(login.getUsername()).isEqualTo("app_user");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The database refused the login of 'app_user' with the password in spring.datasource.password from "
					+ this.secrets.resolve("db_password_server"))
			.contains("ALTER ROLE app_user PASSWORD")
			.doesNotContain("Unable to determine Dialect");
		assertNoSecretIn(output);
	}

	private ConfigurableApplicationContext run(String... args) {
		List<String> all = new ArrayList<>(List.of("--secrets.dir=" + this.secrets,
				"--spring.datasource.url=" + postgres.jdbcUrl(), "--spring.datasource.hikari.connection-timeout=2000",
				"--spring.sql.init.mode=always", "--spring.sql.init.schema-locations=classpath:db/jpa-init/schema.sql",
				"--spring.sql.init.data-locations=classpath:db/jpa-init/data.sql", "--logging.level.root=TRACE"));
		all.addAll(List.of(args));
		return TestApplications.application(JpaApplication.class, WebApplicationType.NONE, Map.of())
			.run(all.toArray(String[]::new));
	}

	private static String tableOwner() throws SQLException {
		return adminQuery("SELECT tableowner FROM pg_tables WHERE tablename = 'jpa_notes'");
	}

	private static boolean tableExists() throws SQLException {
		return adminQuery("SELECT to_regclass('public.jpa_notes') IS NOT NULL").equals("t");
	}

	private static long rowCount() throws SQLException {
		return Long.parseLong(adminQuery("SELECT count(*) FROM jpa_notes"));
	}

	private static String adminQuery(String sql) throws SQLException {
		try (Connection connection = postgres.login("postgres", ADMIN_PASSWORD);
				ResultSet result = connection.createStatement().executeQuery(sql)) {
			assertThat(result.next()).as(sql).isTrue();
			return result.getString(1);
		}
	}

	private static void assertNoSecretIn(CapturedOutput output) {
		assertThat(output.getAll()).doesNotContain(ADMIN_PASSWORD)
			.doesNotContain(APP_PASSWORD)
			.doesNotContain(BOSS_PASSWORD)
			.doesNotContain(MEMBER_PASSWORD)
			.doesNotContain(WRONG_PASSWORD);
	}

}
