package dev.mountedsecrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

	@Test
	void runWhenFileVariableNamesWorldWritablePlaceholderFailsNamingFileAndRule() throws Exception {
		Path file = SecretFiles.write(this.dir, "datasource.pw", "changeme");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
		Forked run = fork(Map.of("SPRING_DATASOURCE_PASSWORD_FILE", file.toString()));
		assertThat(run.exitCode()).isNotZero();
		assertThat(run.output()).contains("APPLICATION FAILED TO START")
			.contains("SPRING_DATASOURCE_PASSWORD_FILE (" + file
					+ ") (feeds spring.datasource.password): is writable by other users (mode rw-rw-rw-)")
			.doesNotContain("changeme");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		Forked again = fork(Map.of("SPRING_DATASOURCE_PASSWORD_FILE", file.toString()));
		assertThat(again.exitCode()).isNotZero();
		assertThat(again.output()).contains("(feeds spring.datasource.password): holds a placeholder from a setup guide")
			.doesNotContain("changeme");
	}

	@Test
	void runWhenApplicationJsonOverridesSecretFileFailsWithCheckSetToFail() throws Exception {
		Path secrets = Files.createDirectory(this.dir.resolve("secrets"));
		SecretFiles.write(secrets, "db_password_server", "Json-File-Pw-31e9");
		Forked run = fork(Map.of("SPRING_APPLICATION_JSON", "{\"spring.datasource.password\":\"Json-Env-Pw-7a2c\"}"),
				"--secrets.dir=" + secrets, "--secrets.environment-check=fail");
		assertThat(run.exitCode()).isNotZero();
		assertThat(run.output()).contains(
				"SPRING_APPLICATION_JSON entry spring.datasource.password: sets a property that a secret file serves")
			.doesNotContain("Json-File-Pw-31e9")
			.doesNotContain("Json-Env-Pw-7a2c");
	}

	private Forked fork(Path passwordFile) throws IOException, InterruptedException {
		return fork(Map.of("SPRING_DATA_REDIS_PASSWORD_FILE", passwordFile.toString()));
	}

	private Forked fork(Map<String, String> environment, String... extraArgs) throws IOException, InterruptedException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
				FileVariableRedisMain.class.getName(), "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + redis.port(), "--spring.data.redis.timeout=2s",
				"--logging.level.root=TRACE"));
		command.addAll(List.of(extraArgs));
		if (command.stream().noneMatch((arg) -> arg.startsWith("--secrets.dir="))) {
			command.add("--secrets.dir=" + this.dir.resolve("no-folder"));
		}
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().keySet().removeIf((name) -> name.endsWith("_FILE"));
		builder.environment().putAll(environment);
		builder.redirectErrorStream(true);
		Process process = builder.start();
		byte[] output = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
		return new Forked(process.exitValue(), new String(output, StandardCharsets.UTF_8));
	}

	private record Forked(int exitCode, String output) {

	}

}
