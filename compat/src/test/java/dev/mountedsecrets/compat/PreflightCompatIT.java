package dev.mountedsecrets.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mountedsecrets.compat.app.CompatApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pre-flight check on this generation: the application's own main class in a JVM of its
 * own with {@code --secrets.preflight.enabled=true}, its exit code and its report; no server.
 */
class PreflightCompatIT {

	@TempDir
	Path secrets;

	@Test
	void preflightWhenTheFolderPassesExitsWithZeroAndStartsNoServer() throws Exception {
		Files.writeString(this.secrets.resolve("crypto_key"), "compat-key-of-forty-characters-012345678");
		Run run = run("--secrets.required=crypto_key");
		assertThat(run.exitCode()).as(run.output()).isZero();
		assertThat(run.output()).contains("mounted-secrets pre-flight check: PASSED (exit code 0)")
			.doesNotContain("Tomcat started")
			.doesNotContain("Started CompatApplication");
	}

	@Test
	void preflightWhenARequiredFileIsMissingExitsWithTwoAndNamesIt() throws Exception {
		Run run = run("--secrets.required=db_password_server", "--secrets.preflight.format=json");
		assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
		assertThat(run.stdout().strip()).startsWith("{\"status\":\"INVALID_SECRETS\",\"exitCode\":2")
			.contains("is required (secrets.required) but does not exist")
			.endsWith("}");
	}

	private Run run(String... args) throws IOException, InterruptedException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
				CompatApplication.class.getName(), "--secrets.dir=" + this.secrets, "--server.port=0",
				"--secrets.preflight.enabled=true"));
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

	private record Run(int exitCode, String stdout, String stderr) {

		String output() {
			return this.stdout + this.stderr;
		}

	}

}
