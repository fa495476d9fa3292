package dev.mountedsecrets.compat;

import java.nio.file.Path;

import dev.mountedsecrets.SecretFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Boot's DataSource on a real MariaDB: the application logs in as {@code app_user} with the
 * password from {@code db_password_server}; a user that may drop tables and a wrong password
 * stop start-up with the starter's failure analyses.
 */
@ExtendWith(OutputCaptureExtension.class)
class MariaDbCompatIT {

	@TempDir
	Path secrets;

	@Test
	void startWhenPasswordRightLogsInAsAppUser(CapturedOutput output) throws Exception {
		SecretFiles.write(this.secrets, "db_password_server", Servers.APP_USER_PASSWORD);
		try (ConfigurableApplicationContext context = run()) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("SELECT CURRENT_USER()", String.class)).isEqualTo("app_user@%");
		}
		assertThat(output.getAll()).doesNotContain(Servers.APP_USER_PASSWORD)
			.doesNotContain("least-privilege does not apply");
	}

	@Test
	void startWhenUserMayDropTablesFailsLeastPrivilegeCheck(CapturedOutput output) throws Exception {
		SecretFiles.write(this.secrets, "db_password_server", Servers.APP_USER_PASSWORD);
		assertThatException().isThrownBy(() -> run("--spring.datasource.username=ddl_user"));
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("logs in as MariaDB user 'ddl_user'@'%', which holds DROP on `app`.*")
			.contains("REVOKE DROP ON `app`.* FROM 'ddl_user'@'%';")
			.doesNotContain(Servers.APP_USER_PASSWORD);
	}

	@Test
	void startWhenPasswordWrongFailsNamingUserAndFile(CapturedOutput output) throws Exception {
		String wrong = "Compat-Wrong-Maria-4c1a7e09";
		SecretFiles.write(this.secrets, "db_password_server", wrong);
		assertThatException().isThrownBy(this::run);
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("The database refused the login of 'app_user'")
			.contains("db_password_server")
			.contains("ALTER USER 'app_user'@'%' IDENTIFIED BY ...")
			.doesNotContain(wrong)
			.doesNotContain(Servers.APP_USER_PASSWORD);
	}

	private ConfigurableApplicationContext run(String... args) throws Exception {
		String[] all = new String[args.length + 3];
		all[0] = "--spring.datasource.url=" + Servers.mariadb().jdbcUrl();
		all[1] = "--spring.datasource.hikari.connection-timeout=10000";
		all[2] = "--spring.autoconfigure.exclude=org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
				+ "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration";
		System.arraycopy(args, 0, all, 3, args.length);
		return CompatApps.run(this.secrets, all);
	}

}
