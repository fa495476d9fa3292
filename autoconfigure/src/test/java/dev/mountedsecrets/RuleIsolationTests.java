package dev.mountedsecrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Each rule broken alone: every case is paired with the same set-up that differs only in the
 * one fact the rule is about, and that set-up passes. So a case cannot pass because another
 * rule caught it.
 */
@ExtendWith(OutputCaptureExtension.class)
class RuleIsolationTests {

	private static final String VALUE = "Isolated-Value-5d3a8c1e";

	private static final String ENV_VALUE = "Isolated-Env-Value-0b7e42";

	@TempDir
	Path dir;

	@Test
	void readWhenSecretsFolderItselfWritableByOthersReportsTheFolder() throws IOException {
		secretsFolderWithMode("rwxrwxrwx");
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, ReadOptions.defaults()).read();
		assertThat(snapshot.problems()).singleElement().satisfies((problem) -> {
			assertThat(problem.file()).isEqualTo(this.dir.toString());
			assertThat(problem.rule()).isEqualTo("is writable by other users (mode rwxrwxrwx)");
			assertThat(problem.action())
				.isEqualTo("Run 'chmod o-w " + this.dir + "', or set secrets.permission-check=warn.");
			assertThat(problem.toString()).doesNotContain(VALUE);
		});
	}

	@Test
	void readWhenSecretsFolderWritableOnlyByOwnerServesIt() throws IOException {
		secretsFolderWithMode("rwxr-xr-x");
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, ReadOptions.defaults()).read();
		assertThat(snapshot.problems()).isEmpty();
		assertThat(snapshot.get("redis_password").value()).isEqualTo(VALUE);
	}

	@Test
	void startWhenSecretsFolderItselfWritableByOthersFailsNamingTheFolder(CapturedOutput output) throws IOException {
		secretsFolderWithMode("rwxrwxrwx");
		assertThatExceptionOfType(InvalidSecretsException.class)
			.isThrownBy(() -> TestApplications.run("--secrets.dir=" + this.dir).close())
			.withMessageContaining(this.dir + ": is writable by other users (mode rwxrwxrwx)");
		assertThat(output.getAll()).doesNotContain(VALUE);
	}

	private void secretsFolderWithMode(String mode) throws IOException {
		Files.writeString(this.dir.resolve("redis_password"), VALUE);
		Files.setPosixFilePermissions(this.dir.resolve("redis_password"), PosixFilePermissions.fromString("rw-------"));
		Files.setPosixFilePermissions(this.dir, PosixFilePermissions.fromString(mode));
	}

	@Test
	void readWhenLinkTargetWritableByOthersRefusesIt() throws IOException {
		Path link = linkToTargetWithMode("rw-rw-rw-");
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, ReadOptions.defaults()).read();
		assertThat(snapshot.secrets()).isEmpty();
		assertThat(snapshot.problems()).singleElement().satisfies((problem) -> {
			assertThat(problem.file()).isEqualTo(link.toString());
			assertThat(problem.rule()).isEqualTo("is writable by other users (mode rw-rw-rw-)");
			assertThat(problem.action()).isEqualTo("Run 'chmod o-w " + link + "', or set secrets.permission-check=warn.");
			assertThat(problem.toString()).doesNotContain(VALUE);
		});
	}

	@Test
	void readWhenLinkTargetWritableOnlyByOwnerServesIt() throws IOException {
		linkToTargetWithMode("rw-r--r--");
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, ReadOptions.defaults()).read();
		assertThat(snapshot.problems()).isEmpty();
		assertThat(snapshot.get("redis_password").value()).isEqualTo(VALUE);
	}

	/**
	 * A Kubernetes-like link inside the folder, to a file in a hidden sub-folder: the link itself
	 * is {@code rwxrwxrwx} as every link is, and stays inside the folder; only the target's
	 * mode changes between the two cases.
	 */
	private Path linkToTargetWithMode(String mode) throws IOException {
		Files.setPosixFilePermissions(this.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path data = Files.createDirectory(this.dir.resolve("..data"));
		Path target = SecretFiles.write(data, "redis_password", VALUE);
		Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(mode));
		return Files.createSymbolicLink(this.dir.resolve("redis_password"), Path.of("..data", "redis_password"));
	}

	@Test
	void startWhenOtherVariableAndItsFileVariableBothSetFails(CapturedOutput output) {
		Path file = SecretFiles.write(this.dir, "api_token", VALUE);
		assertThatExceptionOfType(InvalidSecretsException.class)
			.isThrownBy(() -> TestApplications.run(Map.of("APP_API_TOKEN_FILE", file.toString(), "APP_API_TOKEN",
					ENV_VALUE), "--secrets.dir=" + this.dir.resolve("none")))
			.withMessage("Invalid secrets: APP_API_TOKEN_FILE (feeds app.api.token): both APP_API_TOKEN and"
					+ " APP_API_TOKEN_FILE are set")
			.satisfies((ex) -> assertThat(ex.getProblems().toString()).doesNotContain(VALUE).doesNotContain(ENV_VALUE));
		assertThat(output.getAll()).contains("Remove APP_API_TOKEN from the environment")
			.doesNotContain(VALUE)
			.doesNotContain(ENV_VALUE);
	}

	@Test
	void startWhenOtherFileVariableAloneServesIt() {
		Path file = SecretFiles.write(this.dir, "api_token", VALUE);
		try (ConfigurableApplicationContext context = TestApplications
			.run(Map.of("APP_API_TOKEN_FILE", file.toString()), "--secrets.dir=" + this.dir.resolve("none"))) {
			assertThat(context.getEnvironment().getProperty("app.api.token")).isEqualTo(VALUE);
		}
	}

	@Test
	void readFileVariablesWhenOtherVariableAndItsFileVariableBothSetReportsConflictOnly() {
		Path file = SecretFiles.write(this.dir, "api_token", VALUE);
		FileVariables variables = FileVariables.read(
				Map.of("APP_API_TOKEN_FILE", file.toString(), "APP_API_TOKEN", ENV_VALUE), java.util.List.of(),
				ReadOptions.defaults(),
				SecretRules.from(new SecretsProperties(), SecretMappings.withOverrides(Map.of())));
		assertThat(variables.secrets()).isEmpty();
		assertThat(variables.skipped()).isEmpty();
		assertThat(variables.problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.describe())
				.isEqualTo("APP_API_TOKEN_FILE (feeds app.api.token): both APP_API_TOKEN and APP_API_TOKEN_FILE are set"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "Pasted-In-Place-9f3a", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "/K7MDENGbPxRfiCY",
			"/K7MDENG/bPxRfiCYEXAMPLEKEY", "/run/secrets/Pasted\u0000In-Place-9f3a" })
	void readFileVariablesWhenVariableHoldsTheSecretInPlaceOfAPathNeverShowsIt(String pasted) {
		FileVariables variables = FileVariables.read(Map.of("SPRING_DATASOURCE_PASSWORD_FILE", pasted),
				java.util.List.of(), ReadOptions.defaults(),
				SecretRules.from(new SecretsProperties(), SecretMappings.withOverrides(Map.of())));
		assertThat(variables.problems()).singleElement().satisfies((problem) -> {
			assertThat(problem.describe()).startsWith("SPRING_DATASOURCE_PASSWORD_FILE (a value that is no path)")
				.doesNotContain(pasted);
			assertThat(problem.action()).doesNotContain(pasted);
		});
	}

	@Test
	void readFileVariablesWhenFolderWritableByOthersRefusesTheFile() throws IOException {
		FileVariables variables = fileVariableIn("rwxrwxrwx");
		assertThat(variables.secrets()).isEmpty();
		assertThat(variables.problems()).singleElement()
			.satisfies((problem) -> {
				assertThat(problem.rule()).startsWith("is in " + this.dir.resolve("shared"))
					.contains("writable by other users");
				// a path is shown
				assertThat(problem.describe())
					.startsWith("SPRING_DATASOURCE_PASSWORD_FILE (" + this.dir.resolve("shared").resolve("db_password") + ")");
			});
	}

	@Test
	void readFileVariablesWhenFolderWritableOnlyByOwnerServesTheFile() throws IOException {
		FileVariables variables = fileVariableIn("rwxr-xr-x");
		assertThat(variables.problems()).isEmpty();
		assertThat(variables.secrets().get("SPRING_DATASOURCE_PASSWORD").value()).isEqualTo(VALUE);
	}

	private FileVariables fileVariableIn(String folderMode) throws IOException {
		Path folder = Files.createDirectory(this.dir.resolve("shared"));
		Path file = SecretFiles.write(folder, "db_password", VALUE);
		Files.setPosixFilePermissions(this.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
		Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString(folderMode));
		return FileVariables.read(Map.of("SPRING_DATASOURCE_PASSWORD_FILE", file.toString()), java.util.List.of(),
				ReadOptions.defaults(),
				SecretRules.from(new SecretsProperties(), SecretMappings.withOverrides(Map.of())));
	}

	/** The pair of these: {@code SecretFileReaderTests.readWhenCrlfRemovesIt}. */
	@Test
	void readWhenLoneTrailingCarriageReturnKeepsIt() throws Exception {
		assertThat(read("pw\r")).isEqualTo("pw\r");
	}

	@Test
	void readWhenOnlyCarriageReturnKeepsIt() throws Exception {
		assertThat(read("\r")).isEqualTo("\r");
	}

	private String read(String content) throws Exception {
		Path file = Files.writeString(this.dir.resolve("value"), content);
		return new SecretFileReader(DataSize.ofKilobytes(64)).read("value", file).value();
	}

}
