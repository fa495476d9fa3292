package dev.mountedsecrets.compat;

import java.nio.file.Path;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;

import dev.mountedsecrets.SecretFiles;
import dev.mountedsecrets.reload.SecretsReloader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Boot's DataSource on a real PostgreSQL: the application logs in as {@code app_user} with
 * the password from {@code db_password_server}; a wrong password and a superuser role stop
 * start-up with the starter's failure analyses; a rotated password reaches the pool without a
 * restart.
 */
@ExtendWith(OutputCaptureExtension.class)
class PostgresCompatIT {

	@TempDir
	Path secrets;

	@Test
	void startWhenPasswordRightLogsInAsAppUser(CapturedOutput output) throws Exception {
		SecretFiles.write(this.secrets, "db_password_server", Servers.APP_USER_PASSWORD);
		try (ConfigurableApplicationContext context = run()) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("SELECT current_user", String.class)).isEqualTo("app_user");
		}
		assertThat(output.getAll()).doesNotContain(Servers.APP_USER_PASSWORD);
	}

	@Test
	void startWhenPasswordWrongFailsNamingUserAndFile(CapturedOutput output) throws Exception {
		String wrong = "Compat-Wrong-Db-71e0c5a9";
		SecretFiles.write(this.secrets, "db_password_server", wrong);
		assertThatException().isThrownBy(this::run);
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("The database refused the login of 'app_user'")
			.contains("db_password_server")
			.doesNotContain(wrong)
			.doesNotContain(Servers.APP_USER_PASSWORD);
	}

	@Test
	void startWhenRoleIsSuperuserFailsLeastPrivilegeCheck(CapturedOutput output) throws Exception {
		SecretFiles.write(this.secrets, "db_password_server", Servers.POSTGRES_ADMIN_PASSWORD);
		assertThatException().isThrownBy(() -> run("--spring.datasource.username=postgres"));
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("logs in as PostgreSQL role 'postgres'")
			.doesNotContain(Servers.POSTGRES_ADMIN_PASSWORD);
	}

	@Test
	void startWhenPasswordRotatedNewConnectionsLogInWithNewPassword(CapturedOutput output) throws Exception {
		String first = "Compat-Rotating-First-27c9e1";
		String second = "Compat-Rotating-Second-b84f06";
		Servers.postgres().executeAsAdmin("CREATE ROLE rotating_user LOGIN PASSWORD '" + first + "'");
		SecretFiles.write(this.secrets, "db_password_server", first);
		try (ConfigurableApplicationContext context = run("--spring.datasource.username=rotating_user",
				"--secrets.reload.enabled=true", "--secrets.reload.quiet-period=200ms",
				"--secrets.reload.poll-interval=100ms")) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("SELECT current_user", String.class)).isEqualTo("rotating_user");
			Servers.postgres().executeAsAdmin("ALTER ROLE rotating_user PASSWORD '" + second + "'");
			SecretFiles.write(this.secrets, "db_password_server", second);
			SecretsReloader reloader = context.getBean(SecretsReloader.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> reloader.rotations() == 1);
			// Close the pool's connections: the next one must log in with the new password.
			context.getBean(HikariDataSource.class).getHikariPoolMXBean().softEvictConnections();
			assertThat(jdbc.queryForObject("SELECT current_user", String.class)).isEqualTo("rotating_user");
		}
		assertThat(output.getAll()).doesNotContain(first).doesNotContain(second);
	}

	private ConfigurableApplicationContext run(String... args) throws Exception {
		String[] all = new String[args.length + 3];
		all[0] = "--spring.datasource.url=" + Servers.postgres().jdbcUrl();
		all[1] = "--spring.datasource.hikari.connection-timeout=10000";
		all[2] = "--spring.autoconfigure.exclude=org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
				+ "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration";
		System.arraycopy(args, 0, all, 3, args.length);
		return CompatApps.run(this.secrets, all);
	}

}
