package dev.mountedsecrets.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mountedsecrets.PostgresTestServer;
import dev.mountedsecrets.PreflightFinding;
import dev.mountedsecrets.PreflightFormat;
import dev.mountedsecrets.PreflightReport;
import dev.mountedsecrets.PreflightStatus;
import dev.mountedsecrets.RedisTestServer;
import dev.mountedsecrets.SecretsEnvironmentPostProcessor;
import dev.mountedsecrets.SecretsSourceFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database part of the pre-flight check ({@code secrets.preflight.database=true}) against
 * a real PostgreSQL server that checks passwords: the application's role and the admin login
 * of the schema tools, each failure class and its exit code.
 */
class DatabasePreflightTests {

	private static final String ADMIN_PASSWORD = "Pg-Admin-Pre-7c1e93b2";

	private static final String APP_PASSWORD = "Pg-App-Pre-4a0d2f68";

	private static final String BOSS_PASSWORD = "Pg-Boss-Pre-e5b81c07";

	private static final String WRONG_PASSWORD = "Pg-Wrong-Pre-19fd6a3c";

	@TempDir
	Path secrets;

	private final List<PreflightReport> reports = new ArrayList<>();

	@BeforeAll
	static void startServer() {
		assertThat(Server.INSTANCE).isNotNull();
	}

	@Test
	void preflightWhenEveryLoginWorksAndTheRoleIsUnprivilegedPasses() throws IOException {
		write("db_password_server", APP_PASSWORD);
		write("postgres_password", ADMIN_PASSWORD);
		PreflightReport report = preflight(Server.INSTANCE.jdbcUrl());
		assertThat(report.status()).as(report.render(PreflightFormat.TEXT)).isEqualTo(PreflightStatus.PASSED);
		assertThat(report.checks()).containsExactly("secrets", "database");
		assertThat(report.findings()).filteredOn((finding) -> finding.check().equals("database"))
			.extracting(PreflightFinding::subject)
			.containsExactly("spring.datasource (app_user)", "Flyway (postgres)", "Liquibase (postgres)",
					"spring.sql.init (postgres)");
		assertThat(report.render(PreflightFormat.TEXT)).contains("the role passes the least-privilege rules");
		assertNoPasswordIn(report);
	}

	@Test
	void preflightWhenTheDatabaseRefusesTheApplicationsPasswordExitsWithThree() throws IOException {
		write("db_password_server", WRONG_PASSWORD);
		PreflightReport report = preflight(Server.INSTANCE.jdbcUrl());
		assertThat(report.status()).isEqualTo(PreflightStatus.DATABASE_LOGIN_REFUSED);
		assertThat(report.exitCode()).isEqualTo(3);
		PreflightFinding refused = report.findings().stream().filter(PreflightFinding::failed).findFirst().orElseThrow();
		assertThat(refused.description()).contains("The database refused the login of 'app_user'")
			.contains(this.secrets.resolve("db_password_server").toString());
		assertThat(refused.action()).contains("ALTER ROLE app_user PASSWORD");
		assertNoPasswordIn(report);
	}

	@Test
	void preflightWhenTheAdminSecretIsWrongNamesTheSchemaToolAndExitsWithThree() throws IOException {
		write("db_password_server", APP_PASSWORD);
		write("postgres_password", WRONG_PASSWORD);
		PreflightReport report = preflight(Server.INSTANCE.jdbcUrl());
		assertThat(report.exitCode()).isEqualTo(3);
		assertThat(report.findings()).filteredOn(PreflightFinding::failed)
			.extracting(PreflightFinding::subject)
			.containsExactly("Flyway (postgres)", "Liquibase (postgres)", "spring.sql.init (postgres)");
		assertThat(report.findings()).filteredOn(PreflightFinding::failed)
			.first()
			.satisfies((finding) -> assertThat(finding.action()).contains("spring.flyway.user"));
		assertNoPasswordIn(report);
	}

	@Test
	void preflightWhenTheApplicationsRoleIsASuperuserExitsWithFour() throws IOException {
		write("db_password_server", BOSS_PASSWORD);
		PreflightReport report = preflight(Server.INSTANCE.jdbcUrl(), "spring.datasource.username", "boss");
		assertThat(report.status()).isEqualTo(PreflightStatus.DATABASE_ROLE_PRIVILEGED);
		assertThat(report.exitCode()).isEqualTo(4);
		assertThat(report.render(PreflightFormat.TEXT)).contains("logs in as PostgreSQL role 'boss', which is a superuser");
		assertNoPasswordIn(report);
	}

	@Test
	void preflightWhenTheRoleRuleIsSetToWarnPassesWithTheWarning() throws IOException {
		write("db_password_server", BOSS_PASSWORD);
		PreflightReport report = preflight(Server.INSTANCE.jdbcUrl(), "spring.datasource.username", "boss",
				"secrets.datasource.least-privilege", "warn");
		assertThat(report.status()).isEqualTo(PreflightStatus.PASSED);
		assertThat(report.findings()).filteredOn(PreflightFinding::warning)
			.singleElement()
			.satisfies((warning) -> assertThat(warning.description()).contains("which is a superuser")
				.contains("(secrets.datasource.least-privilege=warn)"));
	}

	@Test
	void preflightWhenTheDatabaseCannotBeReachedReportsNotCheckedWithFive() throws IOException {
		write("db_password_server", APP_PASSWORD);
		PreflightReport report = preflight("jdbc:postgresql://127.0.0.1:" + RedisTestServer.freePort() + "/app");
		assertThat(report.status()).isEqualTo(PreflightStatus.NOT_CHECKED);
		assertThat(report.exitCode()).isEqualTo(5);
		assertThat(report.render(PreflightFormat.TEXT)).contains("Could not log in to jdbc:postgresql://127.0.0.1:");
	}

	@Test
	void preflightWhenTheCheckItselfFailsStillReportsNotCheckedWithFive() throws IOException {
		// a placeholder no property resolves: the check fails before it can log in
		write("db_password_server", APP_PASSWORD);
		PreflightReport report = preflight("jdbc:postgresql://${DB_HOST_NOT_SET_ANYWHERE}/app");
		assertThat(report.status()).isEqualTo(PreflightStatus.NOT_CHECKED);
		assertThat(report.exitCode()).isEqualTo(5);
		assertThat(report.render(PreflightFormat.TEXT)).contains("The database check could not run (");
		assertNoPasswordIn(report);
	}

	@Test
	void preflightWhenNoDriverAcceptsTheUrlReportsNotChecked() throws IOException {
		write("db_password_server", APP_PASSWORD);
		PreflightReport report = preflight("jdbc:nosuchdb://localhost/app");
		assertThat(report.status()).isEqualTo(PreflightStatus.NOT_CHECKED);
		assertThat(report.render(PreflightFormat.TEXT)).contains("No JDBC driver on the class path accepts");
	}

	@Test
	void preflightWhenTheUrlHoldsASecretInAFormNoRuleStripsShowsItMasked() throws IOException {
		write("db_password_server", APP_PASSWORD);
		PreflightReport unknown = preflight("jdbc:nosuchdb:thin:app/${secrets.file.db_password_server}@//localhost/app");
		this.reports.clear();
		PreflightReport unreachable = preflight("jdbc:postgresql://127.0.0.1:" + RedisTestServer.freePort()
				+ "/app?options=${secrets.file.db_password_server}");
		assertThat(unknown.render(PreflightFormat.TEXT)).contains("accepts jdbc:nosuchdb:thin:app/******@//localhost/app");
		for (PreflightReport report : List.of(unknown, unreachable)) {
			assertThat(report.status()).isEqualTo(PreflightStatus.NOT_CHECKED);
			assertNoPasswordIn(report);
		}
	}

	private PreflightReport preflight(String url, String... keyValues) {
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("secrets.dir", this.secrets.toString());
		settings.put("secrets.preflight.enabled", "true");
		settings.put("secrets.preflight.database", "true");
		settings.put("spring.datasource.url", url);
		for (int i = 0; i < keyValues.length; i += 2) {
			settings.put(keyValues[i], keyValues[i + 1]);
		}
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
		new SecretsEnvironmentPostProcessor((destination) -> destination.get(), SecretsSourceFactory.PLAIN,
				(report, format) -> this.reports.add(report))
			.postProcessEnvironment(environment, new SpringApplication());
		assertThat(this.reports).hasSize(1);
		return this.reports.get(0);
	}

	private static void assertNoPasswordIn(PreflightReport report) {
		for (PreflightFormat format : PreflightFormat.values()) {
			assertThat(report.render(format)).doesNotContain(ADMIN_PASSWORD)
				.doesNotContain(APP_PASSWORD)
				.doesNotContain(BOSS_PASSWORD)
				.doesNotContain(WRONG_PASSWORD);
		}
	}

	private void write(String name, String content) throws IOException {
		Files.write(this.secrets.resolve(name), content.getBytes(StandardCharsets.UTF_8));
	}

	/** One server for the class, stopped with the JVM (even one PIT halts). */
	private static final class Server {

		static final PostgresTestServer INSTANCE = start();

		private static PostgresTestServer start() {
			try {
				PostgresTestServer server = PostgresTestServer.start(ADMIN_PASSWORD).stopWhenThisJvmEnds();
				server.executeAsAdmin(
						"CREATE ROLE app_user LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '" + APP_PASSWORD + "'",
						"CREATE ROLE boss LOGIN SUPERUSER PASSWORD '" + BOSS_PASSWORD + "'");
				return server;
			}
			catch (IOException | SQLException ex) {
				throw new IllegalStateException("Could not start PostgreSQL for the pre-flight tests", ex);
			}
		}

	}

}
