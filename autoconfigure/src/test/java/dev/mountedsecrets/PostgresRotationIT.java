package dev.mountedsecrets;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import dev.mountedsecrets.autoconfigure.MountedSecretsAutoConfiguration;
import dev.mountedsecrets.autoconfigure.MountedSecretsReloadAutoConfiguration;
import dev.mountedsecrets.reload.SecretsReloader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Rotating {@code app_user}'s password on a real PostgreSQL server while four threads query
 * through the pool without pause: the server first, then the file, twice. No query fails, and
 * the pool's new connections log in with the new password, which the server now requires.
 */
@ExtendWith(OutputCaptureExtension.class)
class PostgresRotationIT {

	private static final String ADMIN = "Rot-Pg-Admin-0e5d9a71";

	private static final List<String> PASSWORDS = List.of("Rot-Pg-App-First-3c1b", "Rot-Pg-App-Second-8f02",
			"Rot-Pg-App-Third-b7d4");

	private static PostgresTestServer postgres;

	@TempDir
	Path secrets;

	@BeforeAll
	static void startPostgres() throws Exception {
		postgres = PostgresTestServer.start(ADMIN);
		postgres.executeAsAdmin("CREATE ROLE app_user LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '" + PASSWORDS.get(0) + "'");
	}

	@AfterAll
	static void stopPostgres() throws Exception {
		postgres.close();
	}

	@Test
	void rotateUnderLoadTwiceFailsNoQueryAndUsesNewPassword(CapturedOutput output) throws Exception {
		SecretFiles.write(this.secrets, "db_password_server", PASSWORDS.get(0));
		try (ConfigurableApplicationContext context = TestApplications
			.application(JdbcReloadApplication.class, WebApplicationType.NONE, Map.of())
			.run("--secrets.dir=" + this.secrets, "--spring.datasource.url=" + postgres.jdbcUrl(),
					"--spring.datasource.hikari.maximum-pool-size=4", "--spring.datasource.hikari.minimum-idle=4",
					"--spring.datasource.hikari.connection-timeout=10000", "--secrets.reload.enabled=true",
					"--secrets.reload.quiet-period=200ms", "--secrets.reload.poll-interval=100ms",
					"--logging.level.root=TRACE")) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			SecretsReloader reloader = context.getBean(SecretsReloader.class);
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			try (Load load = Load.start(4, () -> jdbc.queryForObject("SELECT current_user", String.class))) {
				for (int generation = 1; generation <= 2; generation++) {
					String next = PASSWORDS.get(generation);
					assertThat(reloader.rotations()).isEqualTo(generation - 1);
					Timestamp before = serverNow();
					changePassword(next);
					SecretFiles.write(this.secrets, "db_password_server", next);
					long expected = generation;
					await().atMost(Duration.ofSeconds(20)).until(() -> reloader.rotations() == expected);
					await().atMost(Duration.ofSeconds(30)).until(() -> newConnectionsSince(before) >= 1);
					assertThat(pool.getPassword()).isEqualTo(next);
					String previous = PASSWORDS.get(generation - 1);
					assertThatExceptionOfType(PSQLException.class)
						.isThrownBy(() -> postgres.login("app_user", previous).close())
						.withMessageContaining("password authentication failed");
				}
				assertThat(load.successes()).isGreaterThan(100);
				assertThat(load.failures()).isEmpty();
			}
			try (Connection connection = pool.getConnection()) {
				assertThat(connection.isValid(1)).isTrue();
			}
		}
		assertThat(output.getAll()).contains(" TRACE ");
		LeakForms.assertNoLeak("output at TRACE", output.getAll(), List.of(ADMIN));
		LeakForms.assertNoLeak("output at TRACE", output.getAll(), PASSWORDS);
		assertThat(output.getAll()).contains("DataSource credentials rotated for user 'app_user'");
	}

	private static void changePassword(String password) throws Exception {
		postgres.changePassword("app_user", password);
	}

	private static Timestamp serverNow() throws Exception {
		try (Connection admin = postgres.login("postgres", ADMIN);
				ResultSet result = admin.createStatement().executeQuery("SELECT clock_timestamp()")) {
			result.next();
			return result.getTimestamp(1);
		}
	}

	private static int newConnectionsSince(Timestamp since) throws Exception {
		try (Connection admin = postgres.login("postgres", ADMIN);
				var statement = admin.prepareStatement(
						"SELECT count(*) FROM pg_stat_activity WHERE usename = 'app_user' AND backend_start > ?")) {
			statement.setTimestamp(1, since);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getInt(1);
			}
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
			MountedSecretsAutoConfiguration.class, MountedSecretsReloadAutoConfiguration.class })
	static class JdbcReloadApplication {

	}

}
