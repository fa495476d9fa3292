package dev.mountedsecrets.actuate;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.SecretFile;
import dev.mountedsecrets.SecretMappings;
import dev.mountedsecrets.SecretsProperties;
import dev.mountedsecrets.SecretsPropertySource;
import dev.mountedsecrets.SecretsSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each reason the sanitizer masks a value, alone, and an ordinary value left as it is (the
 * endpoints themselves are in {@code SecretsActuatorTests} and {@code EndpointLeakTests}).
 */
class SecretsSanitizingFunctionTests {

	private static final String DB_VALUE = "Sanitizer-Db-Secret-4e1b77";

	@TempDir
	Path dir;

	private final StandardEnvironment environment = new StandardEnvironment();

	private final MapPropertySource application = new MapPropertySource("application", new java.util.HashMap<>(
			Map.of("spring.datasource.password", "Command-Line-Override-1", "app.copy", DB_VALUE, "app.url",
					"jdbc:postgresql://db/app?password=${secrets.file.db_password_server}", "app.plain",
					"ordinary-value")));

	private SecretsSanitizingFunction sanitizer;

	private SecretsPropertySource secrets;

	@BeforeEach
	void environment() {
		SecretsSnapshot snapshot = new SecretsSnapshot(this.dir, true, Map.of("db_password_server",
				new SecretFile("db_password_server", this.dir.resolve("db_password_server"), DB_VALUE)), List.of(),
				List.of());
		this.secrets = new SecretsPropertySource(snapshot, SecretMappings.withOverrides(Map.of()));
		this.environment.getPropertySources().addFirst(this.application);
		this.environment.getPropertySources().addLast(this.secrets);
		this.sanitizer = new SecretsSanitizingFunction(new MountedSecrets(this.environment, new SecretsProperties()));
	}

	@Test
	void applyWhenValueFromSecretsSourceMasksIt() {
		assertMasked(this.secrets, "secrets.file.db_password_server", "anything");
	}

	@Test
	void applyWhenServedPropertyOverriddenElsewhereMasksIt() {
		assertMasked(this.application, "spring.datasource.password", "Command-Line-Override-1");
	}

	@Test
	void applyWhenValueIsAServedSecretUnderAnotherNameMasksIt() {
		assertMasked(this.application, "app.other", DB_VALUE);
	}

	@Test
	void applyWhenValueIsACommandLineSettingAServedPropertyMasksIt() {
		assertMasked(this.application, "sun.java.command", "app.jar --spring.mail.password=Anything-9");
	}

	@Test
	void applyWhenServedPropertyIsSetUnderAnotherNameBootBindsMasksIt() {
		for (String name : List.of("spring.datasource.pass-word", "spring.dataSource.password", "SPRING.DATASOURCE.PASSWORD",
				"spring.datasource.password[0]", "spring.datasource.password.x", "secrets.file.Db-Password-Server",
				"spring.datasource.pass_word", "SPRING_DATASOURCE_PASSWORD", "SECRETS_FILE_DB_PASSWORD_SERVER")) {
			assertMasked(this.application, name, "Relaxed-Override-1");
		}
		for (String command : List.of("app.jar --spring.dataSource.password=Anything-9",
				"app.jar --x=1 -Dspring.datasource.pass-word=Anything-9", "'--spring.mail.Password=Anything-9'",
				"app.jar --spring.application.json={\"spring\":{\"datasource\":{\"password\":\"Json-9\"}}} --y=2",
				"-Dspring.application.json='{\"spring.datasource.password\":\"Tool-Json-9\"}'")) {
			assertMasked(this.application, "sun.java.command", command);
		}
		assertMasked(this.application, "SPRING_APPLICATION_JSON",
				"{\"spring\":{\"datasource\":{\"password\":\"Json-Override-1\"}}}");
		assertMasked(this.application, "spring.application.json",
				"{\"spring.dataSource\":{\"pass-word\":\"Json-Override-1\"}, \"other\": [1, 2]}");
	}

	@Test
	void applyWhenNameOnlyStartsLikeAServedPropertyLeavesIt() {
		for (String name : List.of("spring.datasource.passwordx", "spring.datasource", "spring.datasource.url",
				"spring.datasource.username", "SPRING_DATASOURCE_PASSWORD_FILE", "SPRING_DATASOURCE_URL",
				"app.pattern")) {
			SanitizableData data = new SanitizableData(this.application, name, "ordinary-value");
			assertThat(this.sanitizer.apply(data).getValue()).as(name).isEqualTo("ordinary-value");
		}
		SanitizableData json = new SanitizableData(this.application, "SPRING_APPLICATION_JSON",
				"{\"spring\":{\"datasource\":{\"url\":\"jdbc:x\"}}}");
		assertThat(this.sanitizer.apply(json).getValue()).isEqualTo("{\"spring\":{\"datasource\":{\"url\":\"jdbc:x\"}}}");
		SanitizableData command = new SanitizableData(this.application, "sun.java.command",
				"app.jar --spring.datasource.url=jdbc:x --secretsfile=1");
		assertThat(this.sanitizer.apply(command).getValue()).isEqualTo("app.jar --spring.datasource.url=jdbc:x --secretsfile=1");
	}

	@Test
	void applyWhenPropertyResolvesToASecretMasksItsUnresolvedValue() {
		assertMasked(this.application, "app.url", "jdbc:postgresql://db/app?password=${secrets.file.db_password_server}");
	}

	@Test
	void applyWhenBoundValueDiffersFromItsSourceAndSourceResolvesToASecretMasksIt() {
		assertMasked(this.application, "app.copy", DB_VALUE.toUpperCase(java.util.Locale.ROOT));
		assertMasked(this.application, "app.url", "JDBC:POSTGRESQL://DB/APP?PASSWORD=" + DB_VALUE.toUpperCase(java.util.Locale.ROOT));
	}

	@Test
	void applyWhenOwnValueOfALowerSourceIsOrdinaryLeavesItThoughTheEnvironmentServesASecret() {
		MapPropertySource defaults = new MapPropertySource("defaults", new java.util.HashMap<>(Map.of("app.copy",
				"ordinary-default")));
		this.environment.getPropertySources().addLast(defaults);
		SanitizableData data = new SanitizableData(defaults, "app.copy", "ordinary-default");
		assertThat(this.sanitizer.apply(data).getValue()).isEqualTo("ordinary-default");
	}

	@Test
	void applyWhenBoundValueHasNoSourceAndPropertyResolvesToASecretMasksIt() {
		// /actuator/configprops: a bound value is shown without the source it came from.
		assertMasked(null, "app.copy", DB_VALUE.toUpperCase(java.util.Locale.ROOT));
		assertMasked(null, "app.copy", "ordinary-looking");
	}

	@Test
	void applyWhenSourceFailsToAnswerAndPropertyResolvesToASecretMasksIt() {
		PropertySource<Object> failing = new PropertySource<>("failing", new Object()) {

			@Override
			public Object getProperty(String name) {
				throw new IllegalStateException("no answer");
			}

		};
		assertMasked(failing, "app.copy", "ordinary-looking");
	}

	@Test
	void applyWhenOrdinaryValueLeavesIt() {
		SanitizableData data = new SanitizableData(this.application, "app.plain", "ordinary-value");
		assertThat(this.sanitizer.apply(data)).isSameAs(data);
		assertThat(data.getValue()).isEqualTo("ordinary-value");
	}

	@Test
	void applyWhenValueNullLeavesIt() {
		SanitizableData data = new SanitizableData(this.secrets, "secrets.file.db_password_server", null);
		assertThat(this.sanitizer.apply(data)).isSameAs(data);
	}

	private void assertMasked(PropertySource<?> source, String key, Object value) {
		SanitizableData data = new SanitizableData(source, key, value);
		assertThat(this.sanitizer.apply(data).getValue()).isEqualTo(SanitizableData.SANITIZED_VALUE);
	}

}
