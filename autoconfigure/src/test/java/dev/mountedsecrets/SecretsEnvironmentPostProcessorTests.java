package dev.mountedsecrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class SecretsEnvironmentPostProcessorTests {

	private static final String DB_PASSWORD = "db-Password-1f9c2a7e";

	@TempDir
	Path secrets;

	@TempDir
	Path config;

	@AfterEach
	void clearSystemProperties() {
		System.clearProperty("secrets.dir");
		System.clearProperty("spring.datasource.password");
	}

	@Test
	void startWhenDefaultFilesPresentFeedsMappedProperties() throws IOException {
		write("db_password_server", DB_PASSWORD + "\n");
		write("postgres_password", "admin-pw\n");
		write("redis_password", "redis-pw\n");
		write("email_password", "mail-pw\n");
		write("google_oauth_client_id", "client-id.apps.googleusercontent.com\n");
		write("google_oauth_client_secret", "client-secret\n");
		try (ConfigurableApplicationContext context = run()) {
			ConfigurableEnvironment environment = context.getEnvironment();
			assertThat(environment.getProperty("spring.datasource.password")).isEqualTo(DB_PASSWORD);
			assertThat(environment.getProperty("spring.flyway.password")).isEqualTo("admin-pw");
			assertThat(environment.getProperty("spring.liquibase.password")).isEqualTo("admin-pw");
			assertThat(environment.getProperty("spring.data.redis.password")).isEqualTo("redis-pw");
			assertThat(environment.getProperty("spring.mail.password")).isEqualTo("mail-pw");
			assertThat(environment.getProperty("spring.security.oauth2.client.registration.google.client-id"))
				.isEqualTo("client-id.apps.googleusercontent.com");
			assertThat(environment.getProperty("spring.security.oauth2.client.registration.google.client-secret"))
				.isEqualTo("client-secret");
		}
	}

	@Test
	void startWhenPasswordFilesPresentDefaultsUserNames() throws IOException {
		write("db_password_server", DB_PASSWORD);
		write("postgres_password", "admin-pw");
		try (ConfigurableApplicationContext context = run()) {
			ConfigurableEnvironment environment = context.getEnvironment();
			assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("app_user");
			assertThat(environment.getProperty("spring.flyway.user")).isEqualTo("postgres");
			assertThat(environment.getProperty("spring.liquibase.user")).isEqualTo("postgres");
		}
	}

	@Test
	void startWhenUserNameSetInConfigurationKeepsIt() throws IOException {
		write("db_password_server", DB_PASSWORD);
		Files.writeString(this.config.resolve("application.properties"),
				"spring.datasource.username=reporting\nsecrets.dir=" + this.secrets + "\n");
		try (ConfigurableApplicationContext context = TestApplications.run(configLocation())) {
			assertThat(context.getEnvironment().getProperty("spring.datasource.username")).isEqualTo("reporting");
		}
	}

	@Test
	void startWhenPasswordFileAbsentAddsNoUserName() throws IOException {
		write("redis_password", "redis-pw");
		try (ConfigurableApplicationContext context = run()) {
			assertThat(context.getEnvironment().containsProperty("spring.datasource.username")).isFalse();
			assertThat(context.getEnvironment().containsProperty("spring.flyway.user")).isFalse();
		}
	}

	@Test
	void startWhenAdminPasswordPresentNeverFeedsDataSource() throws IOException {
		write("postgres_password", "admin-pw");
		try (ConfigurableApplicationContext context = run()) {
			assertThat(context.getEnvironment().containsProperty("spring.datasource.password")).isFalse();
		}
	}

	@Test
	void startWhenAnyFilePresentServesItByName() throws IOException {
		write("crypto_key", "k3Y-".repeat(10));
		write("my_api_token", "token-value");
		try (ConfigurableApplicationContext context = run("--app.key=${secrets.file.crypto_key}")) {
			ConfigurableEnvironment environment = context.getEnvironment();
			assertThat(environment.getProperty("secrets.file.my_api_token")).isEqualTo("token-value");
			assertThat(environment.getProperty("app.key")).isEqualTo("k3Y-".repeat(10));
		}
	}

	@Test
	void startWhenMappingsSetAddsAndReplacesDefaults() throws IOException {
		write("crypto_key", "k3Y-".repeat(10));
		write("redis_password", "redis-pw");
		write("db_password_server", DB_PASSWORD);
		try (ConfigurableApplicationContext context = run("--secrets.mappings.crypto_key=app.crypto.key",
				"--secrets.mappings[redis_password]=app.cache.password,app.queue.password",
				"--secrets.mappings.db_password_server=")) {
			ConfigurableEnvironment environment = context.getEnvironment();
			assertThat(environment.getProperty("app.crypto.key")).isEqualTo("k3Y-".repeat(10));
			assertThat(environment.getProperty("app.cache.password")).isEqualTo("redis-pw");
			assertThat(environment.getProperty("app.queue.password")).isEqualTo("redis-pw");
			assertThat(environment.containsProperty("spring.data.redis.password")).isFalse();
			assertThat(environment.containsProperty("spring.datasource.password")).isFalse();
			assertThat(environment.containsProperty("spring.datasource.username")).isFalse();
			assertThat(environment.getProperty("secrets.file.db_password_server")).isEqualTo(DB_PASSWORD);
		}
	}

	@Test
	void startWhenDirInApplicationPropertiesReadsIt() throws IOException {
		write("redis_password", "redis-pw");
		Files.writeString(this.config.resolve("application.properties"), "secrets.dir=" + this.secrets + "\n");
		try (ConfigurableApplicationContext context = TestApplications.run(configLocation())) {
			assertThat(context.getEnvironment().getProperty("spring.data.redis.password")).isEqualTo("redis-pw");
		}
	}

	@Test
	void startWhenDirInProfileSpecificYamlReadsIt() throws IOException {
		write("redis_password", "redis-pw");
		Files.writeString(this.config.resolve("application.properties"), "secrets.dir=/does/not/exist\n");
		Files.writeString(this.config.resolve("application-prod.yml"), "secrets:\n  dir: " + this.secrets + "\n");
		try (ConfigurableApplicationContext context = TestApplications.run(configLocation(),
				"--spring.profiles.active=prod")) {
			assertThat(context.getEnvironment().getProperty("spring.data.redis.password")).isEqualTo("redis-pw");
		}
	}

	@Test
	void startWhenDirInEnvironmentVariableReadsIt() throws IOException {
		write("redis_password", "redis-pw");
		try (ConfigurableApplicationContext context = TestApplications
			.run(Map.of("SECRETS_DIR", this.secrets.toString()))) {
			assertThat(context.getEnvironment().getProperty("spring.data.redis.password")).isEqualTo("redis-pw");
		}
	}

	@Test
	void startWhenDirInSystemPropertyReadsIt() throws IOException {
		write("redis_password", "redis-pw");
		System.setProperty("secrets.dir", this.secrets.toString());
		try (ConfigurableApplicationContext context = TestApplications.run()) {
			assertThat(context.getEnvironment().getProperty("spring.data.redis.password")).isEqualTo("redis-pw");
		}
	}

	@Test
	void startWhenDisabledReadsNothing() throws IOException {
		write("redis_password", "redis-pw");
		try (ConfigurableApplicationContext context = run("--secrets.enabled=false")) {
			assertThat(context.getEnvironment().containsProperty("spring.data.redis.password")).isFalse();
			assertThat(context.getEnvironment().getPropertySources().contains(SecretsPropertySource.NAME)).isFalse();
		}
	}

	@Test
	void startWhenFolderMissingStartsAndSaysSoOnce(CapturedOutput output) {
		Path missing = this.secrets.resolve("absent");
		try (ConfigurableApplicationContext context = TestApplications.run("--secrets.dir=" + missing)) {
			assertThat(context.isActive()).isTrue();
		}
		assertThat(output).containsOnlyOnce("No secrets folder at " + missing + " (secrets.dir)");
	}

	@Test
	void startWhenSecretAlsoInApplicationPropertiesSecretWins() throws IOException {
		write("db_password_server", DB_PASSWORD);
		Files.writeString(this.config.resolve("application.properties"),
				"spring.datasource.password=from-properties\nsecrets.dir=" + this.secrets + "\n");
		try (ConfigurableApplicationContext context = TestApplications.run(configLocation())) {
			assertThat(context.getEnvironment().getProperty("spring.datasource.password")).isEqualTo(DB_PASSWORD);
		}
	}

	@Test
	void startWhenSecretAlsoInOsEnvironmentSecretWins() throws IOException {
		write("db_password_server", DB_PASSWORD);
		try (ConfigurableApplicationContext context = TestApplications
			.run(Map.of("SPRING_DATASOURCE_PASSWORD", "from-env"), "--secrets.dir=" + this.secrets)) {
			assertThat(context.getEnvironment().getProperty("spring.datasource.password")).isEqualTo(DB_PASSWORD);
			assertThat(Binder.get(context.getEnvironment()).bind("spring.datasource.password", String.class).get())
				.isEqualTo(DB_PASSWORD);
		}
	}

	@Test
	void startWhenCommandLineSetsPropertyCommandLineWins() throws IOException {
		write("db_password_server", DB_PASSWORD);
		try (ConfigurableApplicationContext context = run("--spring.datasource.password=from-command-line")) {
			assertThat(context.getEnvironment().getProperty("spring.datasource.password"))
				.isEqualTo("from-command-line");
		}
	}

	@Test
	void startWhenSystemPropertySetsPropertySystemPropertyWins() throws IOException {
		write("db_password_server", DB_PASSWORD);
		System.setProperty("spring.datasource.password", "from-system-property");
		try (ConfigurableApplicationContext context = run()) {
			assertThat(context.getEnvironment().getProperty("spring.datasource.password"))
				.isEqualTo("from-system-property");
		}
	}

	@Test
	void startWhenSecretReadRecordsFileAsOrigin() throws IOException {
		write("db_password_server", DB_PASSWORD);
		try (ConfigurableApplicationContext context = run()) {
			Origin origin = originOf(context, SecretsPropertySource.NAME, "spring.datasource.password");
			assertThat(origin).isInstanceOf(TextResourceOrigin.class);
			assertThat(((TextResourceOrigin) origin).getResource().getFile().toPath())
				.isEqualTo(this.secrets.resolve("db_password_server"));
			assertThat(originOf(context, SecretsPropertySource.NAME, "secrets.file.db_password_server"))
				.hasToString(origin.toString());
		}
	}

	@Test
	void bindWhenSecretNotConvertibleErrorPointsAtFile() throws IOException {
		write("pool_size", "twelve");
		try (ConfigurableApplicationContext context = run("--secrets.mappings.pool_size=app.pool-size")) {
			assertThatExceptionOfType(BindException.class)
				.isThrownBy(() -> Binder.get(context.getEnvironment()).bind("app.pool-size", Integer.class))
				.satisfies((ex) -> assertThat(ex.getProperty().getOrigin().toString())
					.contains(this.secrets.resolve("pool_size").toString()));
		}
	}

	@Test
	void startWhenFileVariableSetFeedsRelaxedProperty() throws IOException {
		Path file = write("db_password_server", DB_PASSWORD + "\n");
		try (ConfigurableApplicationContext context = TestApplications.run(
				Map.of("SPRING_DATASOURCE_PASSWORD_FILE", file.toString()),
				"--secrets.dir=" + this.secrets.resolve("none"))) {
			ConfigurableEnvironment environment = context.getEnvironment();
			assertThat(environment.getProperty("spring.datasource.password")).isEqualTo(DB_PASSWORD);
			assertThat(Binder.get(environment).bind("spring.datasource.password", String.class).get())
				.isEqualTo(DB_PASSWORD);
			assertThat(originOf(context, FileVariablesPropertySource.NAME, "spring.datasource.password"))
				.hasToString(new SecretFile("x", file, "").origin().toString());
		}
	}

	@Test
	void startWhenIgnoredFileVariableSetDoesNotReadIt() throws IOException {
		Path bundle = write("ca.pem", "not a secret");
		try (ConfigurableApplicationContext context = TestApplications.run(
				Map.of("SSL_CERT_FILE", bundle.toString()), "--secrets.dir=" + this.secrets.resolve("none"))) {
			assertThat(context.getEnvironment().containsProperty("ssl.cert")).isFalse();
		}
	}

	@Test
	void startWhenVariableAndFileVariableBothSetFails(CapturedOutput output) throws IOException {
		Path file = write("db_password_server", DB_PASSWORD);
		assertThatExceptionOfType(InvalidSecretsException.class)
			.isThrownBy(() -> TestApplications.run(Map.of("SPRING_DATASOURCE_PASSWORD_FILE", file.toString(),
					"SPRING_DATASOURCE_PASSWORD", "plain-env-value")))
			.withMessageContaining("both SPRING_DATASOURCE_PASSWORD and SPRING_DATASOURCE_PASSWORD_FILE are set");
		assertThat(output).doesNotContain(DB_PASSWORD).doesNotContain("plain-env-value");
	}

	@Test
	void startWhenSpringFileVariableNamesMissingFileFails() {
		Path missing = this.secrets.resolve("nope");
		assertThatExceptionOfType(InvalidSecretsException.class)
			.isThrownBy(() -> TestApplications.run(Map.of("SPRING_DATA_REDIS_PASSWORD_FILE", missing.toString())))
			.withMessageContaining("SPRING_DATA_REDIS_PASSWORD_FILE (" + missing + ") (feeds spring.data.redis.password)")
			.withMessageContaining("does not exist");
	}

	@Test
	void startWhenOtherFileVariableUnusableStartsAndWarns(CapturedOutput output) throws IOException {
		Path bundle = Files.writeString(this.secrets.resolve("ca-bundle.crt"), "x".repeat(70 * 1024));
		try (ConfigurableApplicationContext context = TestApplications.run(
				Map.of("CORP_CA_BUNDLE_FILE", bundle.toString(), "TF_CLI_CONFIG_FILE", "/does/not/exist"),
				"--secrets.dir=" + this.secrets.resolve("none"))) {
			assertThat(context.getEnvironment().containsProperty("corp.ca.bundle")).isFalse();
			assertThat(context.getEnvironment().getPropertySources().contains(FileVariablesPropertySource.NAME))
				.isFalse();
		}
		assertThat(output).contains("WARN")
			.contains("CORP_CA_BUNDLE_FILE (" + bundle + ") (feeds corp.ca.bundle): is larger than secrets.max-file-size")
			.contains("CORP_CA_BUNDLE is not set from it")
			.contains("add it to secrets.file-variables.ignored")
			.doesNotContain("TF_CLI_CONFIG_FILE");
	}

	@Test
	void startWhenEnabledKeepsCredentialDumpingLoggerAtInfo() throws IOException {
		write("redis_password", "redis-pw");
		try (ConfigurableApplicationContext context = run("--logging.level.root=TRACE")) {
			assertThat(context.getEnvironment().getProperty("logging.level.io.lettuce.core.protocol.CommandEncoder"))
				.isEqualTo("INFO");
		}
	}

	@Test
	void startWhenApplicationSetsCappedLoggerLevelKeepsIt() throws IOException {
		write("redis_password", "redis-pw");
		try (ConfigurableApplicationContext context = run(
				"--logging.level.io.lettuce.core.protocol.CommandEncoder=TRACE")) {
			assertThat(context.getEnvironment().getProperty("logging.level.io.lettuce.core.protocol.CommandEncoder"))
				.isEqualTo("TRACE");
		}
	}

	private ConfigurableApplicationContext run(String... args) {
		String[] all = new String[args.length + 1];
		all[0] = "--secrets.dir=" + this.secrets;
		System.arraycopy(args, 0, all, 1, args.length);
		return TestApplications.run(all);
	}

	private String configLocation() {
		return "--spring.config.location=file:" + this.config + "/";
	}

	private Path write(String name, String content) throws IOException {
		return Files.write(this.secrets.resolve(name), content.getBytes(StandardCharsets.UTF_8));
	}

	@SuppressWarnings("unchecked")
	private static Origin originOf(ConfigurableApplicationContext context, String source, String property) {
		PropertySource<?> propertySource = context.getEnvironment().getPropertySources().get(source);
		return ((OriginLookup<String>) propertySource).getOrigin(property);
	}

}
