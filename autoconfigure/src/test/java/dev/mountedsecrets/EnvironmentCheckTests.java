package dev.mountedsecrets;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Secrets left in environment variables, system properties or command-line arguments are
 * named (never shown): a warning by default, a failure or nothing on request.
 */
@ExtendWith(OutputCaptureExtension.class)
class EnvironmentCheckTests {

	private static final String ENV_VALUE = "Env-Leftover-4c1e8a";

	private static final String TOKEN_VALUE = "Env-Token-93bd0f";

	private static final String PROPERTY_VALUE = "SysProp-Password-5a7e";

	private static final String ARGUMENT_VALUE = "Arg-Secret-e02c77";

	@TempDir
	Path secrets;

	@AfterEach
	void clearSystemProperty() {
		System.clearProperty("javax.net.ssl.keyStorePassword");
	}

	@Test
	void startWhenSecretsOutsideFilesWarnsNamingEachPlace(CapturedOutput output) {
		SecretFiles.write(this.secrets, "db_password_server", "Db-Password-From-File-1");
		System.setProperty("javax.net.ssl.keyStorePassword", PROPERTY_VALUE);
		try (ConfigurableApplicationContext context = run(
				Map.of("SPRING_DATASOURCE_PASSWORD", ENV_VALUE, "API_TOKEN", TOKEN_VALUE, "DEPLOY_TOKEN_FILE", "/x",
						"GREETING", "hello"),
				"--app.client-secret=" + ARGUMENT_VALUE,
				"--spring.security.oauth2.client.provider.corp.token-uri=http://localhost/oauth2/token")) {
			assertThat(context.getEnvironment().getProperty("spring.datasource.password"))
				.isEqualTo("Db-Password-From-File-1");
		}
		assertThat(output).contains("WARN")
			.contains("Secrets found outside files:")
			.contains("environment variable SPRING_DATASOURCE_PASSWORD (sets a property that a secret file serves)")
			.contains("environment variable API_TOKEN (has a name that looks like a secret)")
			.contains("system property javax.net.ssl.keyStorePassword (has a name that looks like a secret)")
			.contains("command-line argument --app.client-secret (has a name that looks like a secret)")
			.doesNotContain("environment variable DEPLOY_TOKEN_FILE")
			.doesNotContain("GREETING")
			.doesNotContain("token-uri");
		assertThat(output.getAll()).doesNotContain(ENV_VALUE)
			.doesNotContain(TOKEN_VALUE)
			.doesNotContain(PROPERTY_VALUE)
			.doesNotContain(ARGUMENT_VALUE);
	}

	@Test
	void startWhenCheckFailsRefusesToStart(CapturedOutput output) {
		assertThatExceptionOfType(InvalidSecretsException.class)
			.isThrownBy(() -> run(Map.of("STRIPE_SECRET", ENV_VALUE), "--secrets.environment-check=fail"))
			.withMessageContaining("environment variable STRIPE_SECRET: has a name that looks like a secret");
		assertThat(output.getAll()).doesNotContain(ENV_VALUE);
	}

	@Test
	void startWhenCheckOffSaysNothing(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run(Map.of("STRIPE_SECRET", ENV_VALUE),
				"--secrets.environment-check=off")) {
			assertThat(context.isActive()).isTrue();
		}
		assertThat(output).doesNotContain("Secrets found outside files");
	}

	@Test
	void startWhenOnlyStarterSettingsLookSecretSaysNothing(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run(Map.of(),
				"--secrets.min-length.token_secret_key=40")) {
			assertThat(context.isActive()).isTrue();
		}
		assertThat(output).doesNotContain("Secrets found outside files");
	}

	@Test
	void startWhenOnlyParentSegmentsLookSecretSaysNothingEvenWithCheckFail(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run(Map.of(), "--secrets.environment-check=fail",
				"--app.secret-store.region=eu-west-1", "--app.tokens.issuer=https://issuer.example",
				"--management.endpoint.secrets.access=read-only", "--logging.level.dev.mountedsecrets=DEBUG")) {
			assertThat(context.isActive()).isTrue();
		}
		assertThat(output).doesNotContain("Secrets found outside files");
	}

	@Test
	void startWhenLastSegmentLooksSecretFailsNamingEach(CapturedOutput output) {
		assertThatExceptionOfType(InvalidSecretsException.class)
			.isThrownBy(() -> run(Map.of("FTP_PASS", ENV_VALUE), "--secrets.environment-check=fail",
					"--app.ldap.bind-passwd=" + ARGUMENT_VALUE, "--app.signing.private-key=" + TOKEN_VALUE))
			.withMessageContaining("environment variable FTP_PASS: has a name that looks like a secret")
			.withMessageContaining("command-line argument --app.ldap.bind-passwd: has a name that looks like a secret")
			.withMessageContaining("command-line argument --app.signing.private-key: has a name that looks like a secret");
		assertThat(output.getAll()).doesNotContain(ENV_VALUE).doesNotContain(ARGUMENT_VALUE).doesNotContain(TOKEN_VALUE);
	}

	@Test
	void startWhenUrlsCarryPasswordsWarnsNamingEachAndWhichSettingTheyOverride(CapturedOutput output) {
		SecretFiles.write(this.secrets, "redis_password", "Redis-Password-From-File-1");
		String json = "{\"spring\":{\"flyway\":{\"url\":\"jdbc:postgresql://db/app?user=postgres&password="
				+ TOKEN_VALUE + "\"}}}";
		try (ConfigurableApplicationContext context = run(
				Map.of("SPRING_DATA_REDIS_URL", "redis://:" + ENV_VALUE + "@cache:6379", "SPRING_APPLICATION_JSON", json,
						"REPORTING_DB_URL", "jdbc:sqlserver://db:1433;databaseName=r;password=" + PROPERTY_VALUE),
				"--spring.r2dbc.url=r2dbc:postgresql://app_user:" + ARGUMENT_VALUE + "@db/app")) {
			assertThat(context.isActive()).isTrue();
		}
		assertThat(output).contains("WARN")
			.contains("environment variable SPRING_DATA_REDIS_URL (carries a password inside a URL (user info or a"
					+ " password parameter); the URL's password wins over spring.data.redis.password, which a secret"
					+ " file serves)")
			.contains("SPRING_APPLICATION_JSON entry spring.flyway.url (carries a password inside a URL (user info or a"
					+ " password parameter); it is used instead of spring.flyway.password)")
			.contains("environment variable REPORTING_DB_URL (carries a password inside a URL")
			.contains("command-line argument --spring.r2dbc.url (carries a password inside a URL (user info or a"
					+ " password parameter); it is used instead of spring.r2dbc.password)");
		assertThat(output.getAll()).doesNotContain(ENV_VALUE)
			.doesNotContain(TOKEN_VALUE)
			.doesNotContain(PROPERTY_VALUE)
			.doesNotContain(ARGUMENT_VALUE);
	}

	@Test
	void startWhenUrlCarriesPasswordAndCheckFailsRefusesToStart(CapturedOutput output) {
		assertThatExceptionOfType(InvalidSecretsException.class)
			.isThrownBy(() -> run(Map.of("SPRING_DATASOURCE_URL", "jdbc:postgresql://db/app?password=" + ENV_VALUE),
					"--secrets.environment-check=fail"))
			.withMessageContaining("environment variable SPRING_DATASOURCE_URL: carries a password inside a URL")
			.withMessageContaining("it is used instead of spring.datasource.password");
		assertThat(output.getAll()).doesNotContain(ENV_VALUE);
	}

	@Test
	void startWhenUrlsCarryNoPasswordSaysNothingEvenWithCheckFail(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run(
				Map.of("SPRING_DATA_REDIS_URL", "redis://cache:6379", "SPRING_DATASOURCE_URL",
						"jdbc:postgresql://db:5432/app?sslmode=require&user=app_user"),
				"--secrets.environment-check=fail", "--app.docs-url=https://deploy@example.com/guide?passwordless=true")) {
			assertThat(context.isActive()).isTrue();
		}
		assertThat(output).doesNotContain("Secrets found outside files");
	}

	private ConfigurableApplicationContext run(Map<String, String> environment, String... args) {
		String[] all = new String[args.length + 1];
		all[0] = "--secrets.dir=" + this.secrets;
		System.arraycopy(args, 0, all, 1, args.length);
		return TestApplications.run(environment, all);
	}

}
