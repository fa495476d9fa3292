package dev.mountedsecrets.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mountedsecrets.SecretFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code X_FILE} for real: a forked JVM whose environment holds only
 * {@code SPRING_DATA_REDIS_PASSWORD_FILE} talks to a real Redis server.
 */
class FileVariableCompatIT {

	@TempDir
	Path dir;

	@Test
	void runWhenFileVariableHoldsRightPasswordRoundTrips() throws Exception {
		Forked run = fork(SecretFiles.write(this.dir, "redis.pw", Servers.REDIS_PASSWORD));
		assertThat(run.output()).contains("ROUND-TRIP from-file-variable")
			.contains("Loaded secrets from *_FILE environment variables for [SPRING_DATA_REDIS_PASSWORD]")
			.doesNotContain(Servers.REDIS_PASSWORD);
		assertThat(run.exitCode()).isZero();
	}

	@Test
	void runWhenFileVariableHoldsWrongPasswordFailsWithWrongpass() throws Exception {
		String wrong = "Compat-Wrong-Redis-6c20f9";
		Forked run = fork(SecretFiles.write(this.dir, "redis.pw", wrong));
		assertThat(run.exitCode()).isNotZero();
		assertThat(run.output()).contains("WRONGPASS").doesNotContain(wrong).doesNotContain(Servers.REDIS_PASSWORD);
	}

	private Forked fork(Path passwordFile) throws IOException, InterruptedException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), FileVariableMain.class.getName(),
				"--secrets.dir=" + this.dir.resolve("no-folder"), "--spring.main.web-application-type=none",
				CompatApps.EXCLUDE_DATABASE, "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + Servers.redis().port(), "--spring.data.redis.timeout=10s"));
		builder.environment().keySet().removeIf((name) -> name.endsWith("_FILE"));
		builder.environment().put("SPRING_DATA_REDIS_PASSWORD_FILE", passwordFile.toString());
		builder.redirectErrorStream(true);
		Process process = builder.start();
		byte[] output = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
		return new Forked(process.exitValue(), new String(output, StandardCharsets.UTF_8));
	}

	private record Forked(int exitCode, String output) {

	}

}
