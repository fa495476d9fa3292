package dev.mountedsecrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pre-flight check as an operator runs it: the application's own main class in a JVM of
 * its own with {@code --secrets.preflight.enabled=true}; the exit code, the report on standard
 * output, and nothing of the application run.
 */
class PreflightExitCodeTests {

	private static final String CRYPTO_KEY = "k3y-of-forty-characters-0123456789abcdef";

	@TempDir
	Path secrets;

	@Test
	void preflightWhenTheFolderWouldStartTheApplicationExitsWithZeroBeforeAnyBean() throws Exception {
		write("crypto_key", CRYPTO_KEY);
		Run run = run("--secrets.required=crypto_key");
		assertThat(run.exitCode()).as(run.output()).isZero();
		assertThat(run.output()).contains("mounted-secrets pre-flight check: PASSED (exit code 0)")
			.doesNotContain(PreflightMain.BEAN_CREATED)
			.doesNotContain("APPLICATION STARTED")
			.doesNotContain(CRYPTO_KEY);
	}

	@Test
	void preflightWhenARequiredFileIsMissingExitsWithTwoAndTheStartUpMessage() throws Exception {
		write("crypto_key", CRYPTO_KEY);
		Run run = run("--secrets.required=crypto_key,db_password_server");
		assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
		assertThat(run.output()).contains("INVALID_SECRETS (exit code 2)")
			.contains(this.secrets.resolve("db_password_server")
					+ " (feeds spring.datasource.password, secrets.file.db_password_server): is required (secrets.required) but does not exist")
			.contains("Create the secret file, or check secrets.dir and the volume that mounts it.")
			.doesNotContain(PreflightMain.BEAN_CREATED);
	}

	@Test
	void preflightWhenJsonIsAskedForPrintsOnlyTheJsonObject() throws Exception {
		write("crypto_key", "short");
		Run run = run("--secrets.preflight.format=json");
		assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
		assertThat(run.stdout().strip()).as("nothing but the object on standard output").startsWith("{").endsWith("}");
		JsonNode json = JsonMapper.builder().build().readTree(run.stdout());
		assertThat(json.get("status").asString()).isEqualTo("INVALID_SECRETS");
		assertThat(json.get("exitCode").asInt()).isEqualTo(2);
		assertThat(json.get("findings").get(0).get("description").asString())
			.contains("is shorter than the 32 characters required (secrets.min-length.crypto_key)");
	}

	@Test
	void preflightWhenTheDatabaseCannotBeAskedExitsWithFive() throws Exception {
		write("crypto_key", CRYPTO_KEY);
		Run run = run("--secrets.preflight.database=true");
		assertThat(run.exitCode()).as(run.output()).isEqualTo(5);
		assertThat(run.output()).contains("spring.datasource.url is not set");
	}

	@Test
	void startWhenPreflightIsNotAskedForRunsTheApplication() throws Exception {
		write("crypto_key", CRYPTO_KEY);
		Run run = start();
		assertThat(run.exitCode()).as(run.output()).isZero();
		assertThat(run.output()).contains(PreflightMain.BEAN_CREATED).doesNotContain("pre-flight");
	}

	private Run run(String... args) throws IOException, InterruptedException {
		List<String> all = new ArrayList<>(List.of("--secrets.preflight.enabled=true"));
		all.addAll(List.of(args));
		return start(all.toArray(String[]::new));
	}

	private Run start(String... args) throws IOException, InterruptedException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
				PreflightMain.class.getName(), "--secrets.dir=" + this.secrets));
		command.addAll(List.of(args));
		Path stdout = this.secrets.getParent().resolve("preflight-" + System.nanoTime() + ".out");
		Path stderr = this.secrets.getParent().resolve("preflight-" + System.nanoTime() + ".err");
		Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
			.redirectError(stderr.toFile())
			.start();
		assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
		return new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
				Files.readString(stderr, StandardCharsets.UTF_8));
	}

	private void write(String name, String content) throws IOException {
		Files.writeString(this.secrets.resolve(name), content);
	}

	private record Run(int exitCode, String stdout, String stderr) {

		String output() {
			return this.stdout + this.stderr;
		}

	}

}
