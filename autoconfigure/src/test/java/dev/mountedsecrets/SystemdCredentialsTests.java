package dev.mountedsecrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import dev.mountedsecrets.autoconfigure.MountedSecretsAutoConfiguration;
import dev.mountedsecrets.autoconfigure.MountedSecretsReloadAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Services started by systemd with {@code LoadCredential=}: the folder comes from
 * {@code $CREDENTIALS_DIRECTORY} when {@code secrets.dir} is set nowhere, and its 0400 files
 * in a read-only folder pass every check. Reading as the non-root owner: {@link SystemdCredentialsIT}.
 */
@ExtendWith(OutputCaptureExtension.class)
class SystemdCredentialsTests {

	static final String KEY = "Systemd-Credential-Key-7f3a9c2e41d8b6";

	@TempDir
	Path credentials;

	@TempDir
	Path other;

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void startWhenOnlyCredentialsDirectorySetReadsItAndSaysWhy(CapturedOutput output) {
		SecretFiles.write(this.credentials, "crypto_key", KEY);
		this.context = start(Map.of(SecretsDirectory.CREDENTIALS_DIRECTORY, this.credentials.toString()));
		assertThat(this.context.getEnvironment().getProperty("secrets.file.crypto_key")).isEqualTo(KEY);
		assertThat(output).contains("Loaded 1 secret file(s) from " + this.credentials
				+ " ($CREDENTIALS_DIRECTORY set by systemd; secrets.dir is not set)");
		assertThat(output).doesNotContain(KEY);
	}

	@Test
	void startWhenCredentialsDirectorySetEverySecretsBeanUsesTheSameFolder() {
		SecretFiles.write(this.credentials, "crypto_key", KEY);
		this.context = start(Map.of(SecretsDirectory.CREDENTIALS_DIRECTORY, this.credentials.toString()),
				"--secrets.reload.enabled=true");
		MountedSecrets secrets = this.context.getBean(MountedSecrets.class);
		assertThat(secrets.properties().getDir()).isEqualTo(this.credentials);
		assertThat(this.context.getBean(SecretsProperties.class).getDir()).isEqualTo(this.credentials);
		assertThat(secrets.readFolder().dir()).isEqualTo(this.credentials);
		assertThat(secrets.inUse().secrets()).containsOnlyKeys("crypto_key");
	}

	@Test
	void startWhenSecretsDirAlsoSetSecretsDirWins(CapturedOutput output) {
		SecretFiles.write(this.credentials, "crypto_key", KEY);
		SecretFiles.write(this.other, "redis_password", "Other-Folder-Redis-Password-1");
		this.context = start(Map.of(SecretsDirectory.CREDENTIALS_DIRECTORY, this.credentials.toString()),
				"--secrets.dir=" + this.other);
		assertThat(this.context.getEnvironment().getProperty("secrets.file.crypto_key")).isNull();
		assertThat(this.context.getEnvironment().getProperty("spring.data.redis.password"))
			.isEqualTo("Other-Folder-Redis-Password-1");
		assertThat(this.context.getBean(MountedSecrets.class).properties().getDir()).isEqualTo(this.other);
		assertThat(output).doesNotContain("CREDENTIALS_DIRECTORY");
	}

	@Test
	void startWhenSecretsDirInOsEnvironmentItWinsOverCredentialsDirectory() {
		SecretFiles.write(this.other, "crypto_key", KEY);
		this.context = start(Map.of(SecretsDirectory.CREDENTIALS_DIRECTORY, this.credentials.toString(), "SECRETS_DIR",
				this.other.toString()));
		assertThat(this.context.getBean(MountedSecrets.class).properties().getDir()).isEqualTo(this.other);
		assertThat(this.context.getEnvironment().getProperty("secrets.file.crypto_key")).isEqualTo(KEY);
	}

	@Test
	void startWhenNeitherSetUsesRunSecrets() {
		this.context = start(Map.of());
		assertThat(this.context.getBean(MountedSecrets.class).properties().getDir()).isEqualTo(Path.of("/run/secrets"));
	}

	@Test
	void startWhenCredentialsAreOwnerReadOnlyInReadOnlyFolderPassesEveryCheck() throws IOException {
		writeCredentialsLikeSystemd(this.credentials, KEY);
		this.context = start(Map.of(SecretsDirectory.CREDENTIALS_DIRECTORY, this.credentials.toString()),
				"--secrets.required=crypto_key,db_password_server", "--secrets.permission-check=fail",
				"--secrets.environment-check=fail");
		MountedSecrets secrets = this.context.getBean(MountedSecrets.class);
		assertThat(secrets.problems(secrets.readFolder())).isEmpty();
		assertThat(secrets.readFolder().warnings()).isEmpty();
		assertThat(this.context.getEnvironment().getProperty("spring.datasource.password"))
			.isEqualTo("Systemd-Db-Password-2b9e");
	}

	@Test
	void startWhenCredentialsDirectoryNotAPathFailsNamingTheVariable() {
		assertThatIllegalStateException()
			.isThrownBy(() -> start(Map.of(SecretsDirectory.CREDENTIALS_DIRECTORY, "/run/credentials/a\0b")))
			.withMessageContaining("$CREDENTIALS_DIRECTORY is not a valid path")
			.withMessageContaining("set secrets.dir");
	}

	/**
	 * The layout systemd gives a service: files 0400 and a folder 0500, both owned by the
	 * service's user.
	 */
	static void writeCredentialsLikeSystemd(Path dir, String key) throws IOException {
		SecretFiles.write(dir, "crypto_key", key);
		SecretFiles.write(dir, "db_password_server", "Systemd-Db-Password-2b9e");
		for (String name : new String[] { "crypto_key", "db_password_server" }) {
			Files.setPosixFilePermissions(dir.resolve(name), PosixFilePermissions.fromString("r--------"));
		}
		Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
	}

	private static ConfigurableApplicationContext start(Map<String, String> osEnvironment, String... args) {
		return TestApplications.application(SecretsBeans.class, WebApplicationType.NONE, osEnvironment).run(args);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ MountedSecretsAutoConfiguration.class, MountedSecretsReloadAutoConfiguration.class })
	static class SecretsBeans {

	}

}
