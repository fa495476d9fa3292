package dev.mountedsecrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code X_FILE} convention for real: a forked JVM whose environment holds only
 * {@code SPRING_DATA_REDIS_PASSWORD_FILE} talks to a real Redis server.
 */
class FileVariableIT {

	private static final String PASSWORD = "Forked-Redis-5b2e90d7c1";

	private static final String WRONG_PASSWORD = "Forked-Wrong-a8c3e612";

	private static RedisTestServer redis;

	@TempDir
	Path dir;

	@BeforeAll
	static void startRedis() throws Exception {
		redis = RedisTestServer.start(PASSWORD);
	}

	@AfterAll
	static void stopRedis() throws Exception {
		redis.close();
	}

	@Test
	void runWhenFileVariableHoldsRightPasswordRoundTrips() throws Exception {
		Path file = SecretFiles.write(this.dir, "redis.pw", PASSWORD);
		Forked run = fork(file);
		assertThat(run.output()).contains("ROUND-TRIP from-file-variable")
			.contains("Loaded secrets from *_FILE environment variables for [SPRING_DATA_REDIS_PASSWORD]")
			.contains(" TRACE ")
			.doesNotContain(PASSWORD);
		assertThat(run.exitCode()).isZero();
	}

	@Test
	void runWhenFileVariableHoldsWrongPasswordFailsWithWrongpass() throws Exception {
		Path file = SecretFiles.write(this.dir, "redis.pw", WRONG_PASSWORD);
		Forked run = fork(file);
		assertThat(run.exitCode()).isNotZero();
		assertThat(run.output()).contains("WRONGPASS").doesNotContain(WRONG_PASSWORD).doesNotContain(PASSWORD);
	}

	private Forked fork(Path passwordFile) throws IOException, InterruptedException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-cp",
				System.getProperty("java.class.path"), FileVariableRedisMain.class.getName(),
				"--secrets.dir=" + this.dir.resolve("no-folder"), "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + redis.port(), "--spring.data.redis.timeout=2s",
				"--logging.level.root=TRACE"));
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
