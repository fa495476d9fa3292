package dev.mountedsecrets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the two property sources promise, asked of them directly: each value under its mapped
 * properties and under {@code secrets.file.<name>}, verbatim (escaped for placeholder
 * resolution), with the file as origin, immutable, and no value in {@code toString()}.
 */
class PropertySourceContractTests {

	private static final String DB_VALUE = "Db-Secret-${not}-9f3a";

	private static final String MAIL_VALUE = "Mail-Secret-7c21";

	@TempDir
	Path dir;

	@Test
	void secretsSourceWhenSecretMappedServesItUnderEveryPropertyWithFileOrigin() throws IOException {
		SecretsPropertySource source = secretsSource();
		assertThat(source.getPropertyNames()).containsExactlyInAnyOrder("spring.datasource.password",
				"secrets.file.db_password_server", "spring.mail.password", "secrets.file.email_password");
		assertThat(source.containsProperty("spring.datasource.password")).isTrue();
		assertThat(source.containsProperty("spring.data.redis.password")).isFalse();
		assertThat(source.getProperty("spring.datasource.password")).isEqualTo(VerbatimValues.escape(DB_VALUE))
			.isNotEqualTo(DB_VALUE);
		assertThat(source.getProperty("secrets.file.email_password")).isEqualTo(MAIL_VALUE);
		assertThat(source.getProperty("spring.data.redis.password")).isNull();
		assertThat(fileOf(source.getOrigin("spring.mail.password"))).isEqualTo(this.dir.resolve("email_password"));
		assertThat(source.getOrigin("spring.data.redis.password")).isNull();
		assertThat(source.secretFor("spring.datasource.password").name()).isEqualTo("db_password_server");
		assertThat(source.secretFor("spring.data.redis.password")).isNull();
		assertThat(source.propertiesFedBy("email_password")).containsExactlyInAnyOrder("spring.mail.password",
				"secrets.file.email_password");
		assertThat(source.propertiesFedBy("redis_password")).isEmpty();
		assertThat(source.isImmutable()).isTrue();
	}

	@Test
	void secretsSourceWhenCreatedRecordsEveryValueInTheRegistryItKeeps() {
		ServedSecrets served = new ServedSecrets();
		SecretsPropertySource source = new SecretsPropertySource(snapshot(), SecretMappings.withOverrides(Map.of()),
				served);
		assertThat(source.served()).isSameAs(served);
		assertThat(served.shows(DB_VALUE)).isTrue();
		assertThat(served.shows(MAIL_VALUE)).isTrue();
		assertThat(new SecretsPropertySource(snapshot(), SecretMappings.withOverrides(Map.of())).served()
			.shows(MAIL_VALUE)).isTrue();
	}

	@Test
	void secretsSourcesWhenMadeFromOneFolderShareItsRegistry() {
		SecretsPropertySource first = new SecretsPropertySource(snapshot(), SecretMappings.withOverrides(Map.of()));
		SecretsPropertySource second = new SecretsPropertySource(snapshot(), SecretMappings.withOverrides(Map.of()));
		// what a Spring Cloud refresh makes: a second source of the same folder, which must keep
		// masking every value the first one served
		assertThat(second.served()).isSameAs(first.served())
			.isSameAs(ServedSecrets.forFolder(this.dir.resolve("sub").resolve("..")));
		assertThat(ServedSecrets.forFolder(this.dir.resolve("other"))).isNotSameAs(first.served());
	}

	@Test
	void mountedSecretsWhenSourceReplacedByOneWithAnotherRegistryForgetsNoValue() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addLast(secretsSource());
		MountedSecrets secrets = new MountedSecrets(environment, new SecretsProperties());
		assertThat(secrets.isSecretValue(DB_VALUE)).isTrue();
		// a Spring Cloud refresh whose copy of the environment read another folder
		SecretsSnapshot other = new SecretsSnapshot(this.dir.resolve("other"), true, Map.of(), List.of(), List.of());
		environment.getPropertySources()
			.replace(SecretsPropertySource.NAME,
					new SecretsPropertySource(other, SecretMappings.withOverrides(Map.of()), new ServedSecrets()));
		assertThat(secrets.isSecretValue(DB_VALUE)).isTrue();
		assertThat(secrets.mask("password=" + MAIL_VALUE)).isEqualTo("password=******");
		assertThat(ServedSecrets.in(environment).shows(DB_VALUE)).isTrue();
	}

	@Test
	void secretsSourceToStringWhenCalledNamesFolderAndFilesButNoValue() {
		assertThat(secretsSource()).hasToString("SecretsPropertySource {name='mountedSecrets', dir=" + this.dir
				+ ", secrets=[db_password_server, email_password]}");
	}

	@Test
	void fileVariablesSourceWhenVariableSetServesItUnderRelaxedNamesWithFileOrigin() throws IOException {
		FileVariablesPropertySource source = fileVariablesSource();
		assertThat(source.getProperty("spring.datasource.password")).isEqualTo(VerbatimValues.escape(DB_VALUE));
		assertThat(source.getProperty("SPRING_MAIL_PASSWORD")).isEqualTo(MAIL_VALUE);
		assertThat(source.containsProperty("spring.mail.password")).isTrue();
		assertThat(source.containsProperty("spring.data.redis.password")).isFalse();
		assertThat(source.getProperty("spring.data.redis.password")).isNull();
		assertThat(source.getPropertyNames()).containsExactlyInAnyOrder("SPRING_DATASOURCE_PASSWORD",
				"SPRING_MAIL_PASSWORD");
		assertThat(fileOf(source.getOrigin("spring.datasource.password"))).isEqualTo(this.dir.resolve("db_password_server"));
		assertThat(source.getOrigin("spring.data.redis.password")).isNull();
		assertThat(source.secretFor("spring.mail.password").name()).isEqualTo("email_password");
		assertThat(source.values()).containsExactlyInAnyOrder(DB_VALUE, MAIL_VALUE);
		assertThat(source.isImmutable()).isTrue();
	}

	@Test
	void fileVariablesSourceToStringWhenCalledNamesVariablesButNoValue() {
		FileVariablesPropertySource source = fileVariablesSource();
		assertThat(source.toString()).startsWith("FileVariablesPropertySource {name='" + FileVariablesPropertySource.NAME
				+ "', variables=[")
			.contains("SPRING_DATASOURCE_PASSWORD", "SPRING_MAIL_PASSWORD")
			.doesNotContain(DB_VALUE, MAIL_VALUE);
		assertThat(source.getSource().toString()).startsWith("{variables=[")
			.contains("SPRING_MAIL_PASSWORD")
			.doesNotContain(DB_VALUE, MAIL_VALUE);
	}

	private SecretsPropertySource secretsSource() {
		return new SecretsPropertySource(snapshot(), SecretMappings.withOverrides(Map.of()));
	}

	private FileVariablesPropertySource fileVariablesSource() {
		return new FileVariablesPropertySource(Map.of("SPRING_DATASOURCE_PASSWORD", secret("db_password_server", DB_VALUE),
				"SPRING_MAIL_PASSWORD", secret("email_password", MAIL_VALUE)));
	}

	private SecretsSnapshot snapshot() {
		return new SecretsSnapshot(this.dir, true, new TreeMap<>(Map.of("db_password_server", secret("db_password_server", DB_VALUE),
				"email_password", secret("email_password", MAIL_VALUE))), List.of(), List.of());
	}

	private SecretFile secret(String name, String value) {
		return new SecretFile(name, this.dir.resolve(name), value);
	}

	private static Path fileOf(Origin origin) throws IOException {
		assertThat(origin).isInstanceOf(TextResourceOrigin.class);
		return ((TextResourceOrigin) origin).getResource().getFile().toPath();
	}

}
