package dev.mountedsecrets.test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.mountedsecrets.MountedSecrets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(properties = "secrets.required=db_password_server,api_token,crypto_key,tls_key")
@TestSecret(name = "db_password_server", value = "server-password-for-tests")
@TestSecret(name = "api_token", value = "token-for-tests")
@TestSecret(name = "crypto_key", random = 64)
@TestSecret(name = "tls_key", resource = "classpath:tls_key.txt")
class SpringBootTestSecretsTests {

	@Autowired
	Environment environment;

	@Autowired
	MountedSecrets secrets;

	@Autowired
	TestSecretsFolder folder;

	@Test
	void startWhenRequiredSecretsAreDeclaredServesEachSourceKind() {
		assertThat(this.environment.getProperty("spring.datasource.password")).isEqualTo("server-password-for-tests");
		assertThat(this.environment.getProperty("secrets.file.api_token")).isEqualTo("token-for-tests");
		assertThat(this.environment.getProperty("secrets.file.crypto_key")).hasSize(64).matches("[A-Za-z0-9]{64}");
		assertThat(this.environment.getProperty("secrets.file.tls_key")).isEqualTo("tls-key-from-a-resource");
		assertThat(this.secrets.inUse().secrets()).containsOnlyKeys("db_password_server", "api_token", "crypto_key",
				"tls_key");
	}

	@Test
	void startWhenSecretsAreDeclaredPointsSecretsDirAtAPrivateFolder() throws Exception {
		Path dir = Path.of(this.environment.getProperty("secrets.dir"));
		assertThat(dir).isEqualTo(this.folder.path());
		assertThat(this.secrets.properties().getDir()).isEqualTo(dir);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
		try (var files = Files.list(dir)) {
			assertThat(files.map((file) -> file.getFileName().toString())).containsExactlyInAnyOrder(
					"db_password_server", "api_token", "crypto_key", "tls_key");
		}
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("api_token"))))
			.isEqualTo("rw-------");
		assertThat(Files.readString(dir.resolve("tls_key"), StandardCharsets.UTF_8))
			.isEqualTo("tls-key-from-a-resource\n");
	}

	@Test
	void parameterWhenTypedAsTheFolderIsTheContextsFolder(TestSecretsFolder parameter) {
		assertThat(parameter).isSameAs(this.folder);
		assertThat(parameter.declared()).containsExactlyInAnyOrder("db_password_server", "api_token", "crypto_key",
				"tls_key");
	}

	@Nested
	@TestSecret(name = "api_token", value = "nested-token")
	class NestedDeclaration {

		@Autowired
		Environment nestedEnvironment;

		@Test
		void startWhenANestedClassRedeclaresASecretUsesItsValueAndKeepsTheOthers(TestSecretsFolder nestedFolder)
				throws Exception {
			assertThat(this.nestedEnvironment.getProperty("secrets.file.api_token")).isEqualTo("nested-token");
			assertThat(this.nestedEnvironment.getProperty("spring.datasource.password"))
				.isEqualTo("server-password-for-tests");
			assertThat(Files.readString(nestedFolder.path().resolve("api_token"))).isEqualTo("nested-token");
			assertThat(nestedFolder.declared()).containsExactlyInAnyOrder("db_password_server", "api_token",
					"crypto_key", "tls_key");
		}

	}

}
