package dev.mountedsecrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every bad input an operator can produce, each with its exact outcome: the application
 * starts and serves what it should, or fails with a message naming the file and the rule.
 * In every case, no secret text appears in the output or the exception.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadInputTests {

	/** Written into every folder, so that each case also proves it does not leak. */
	private static final String CANARY = "Canary-Secret-6f1d0c2e9b";

	@TempDir
	Path dir;

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void startWithBadInputGivesExactOutcome(Case c, CapturedOutput output) throws Exception {
		SecretFiles.write(this.dir, "email_password", CANARY);
		List<String> leaks = new ArrayList<>(c.setup().apply(this.dir));
		leaks.add(CANARY);
		List<String> args = new ArrayList<>(List.of("--secrets.dir=" + this.dir));
		args.addAll(c.args());
		Throwable failure = catchThrowable(() -> {
			try (ConfigurableApplicationContext context = TestApplications.run(args.toArray(String[]::new))) {
				c.started().check(context);
			}
		});
		if (c.failure() == null) {
			assertThat(failure).as(c.name()).isNull();
		}
		else {
			assertThat(failure).as(c.name()).isInstanceOf(InvalidSecretsException.class);
			assertThat(failure.getMessage()).contains(c.failure().replace("{dir}", this.dir.toString()));
			assertThat(output).contains("APPLICATION FAILED TO START");
			leaks.forEach((leak) -> assertThat(failure.getMessage()).doesNotContain(leak));
		}
		for (String warning : c.warnings()) {
			assertThat(output).contains("WARN").contains(warning.replace("{dir}", this.dir.toString()));
		}
		leaks.forEach((leak) -> assertThat(output.getAll()).as("output leaks a secret").doesNotContain(leak));
	}

	static Stream<Case> cases() {
		return Stream.of(
				Case.fails("empty mapped file", (dir) -> write(dir, "redis_password", ""),
						"{dir}/redis_password (feeds spring.data.redis.password, secrets.file.redis_password): is empty"),
				Case.fails("whitespace only", (dir) -> write(dir, "redis_password", " \t \n"),
						"redis_password (feeds spring.data.redis.password, secrets.file.redis_password): holds only whitespace"),
				Case.fails("huge file", (dir) -> write(dir, "redis_password", "H".repeat(1024 * 1024)),
						"redis_password (feeds spring.data.redis.password): is larger than secrets.max-file-size (65536B)"),
				Case.fails("binary file", BadInputTests::binary,
						"redis_password (feeds spring.data.redis.password): is not valid UTF-8"),
				Case.fails("invalid UTF-8", (dir) -> bytes(dir, "redis_password",
						new byte[] { 'I', 'n', 'v', 'a', 'l', 'i', 'd', '-', 'U', 'T', 'F', '8', (byte) 0xC3, (byte) 0x28 }),
						"redis_password (feeds spring.data.redis.password): is not valid UTF-8"),
				Case.starts("BOM and CRLF", (dir) -> bytes(dir, "redis_password",
						"\uFEFFBom-Crlf-Value-77\r\n".getBytes(StandardCharsets.UTF_8)),
						(context) -> assertThat(context.getEnvironment().getProperty("spring.data.redis.password"))
							.isEqualTo("Bom-Crlf-Value-77")),
				Case.starts("deep nesting", BadInputTests::deepNesting,
						(context) -> {
							assertThat(context.getEnvironment().getProperty("secrets.file.l1.l2.l3.l4.l5.l6.l7.l8.leaf"))
								.isEqualTo("Deep-Value-8");
							assertThat(context.getEnvironment().containsProperty(
									"secrets.file.l1.l2.l3.l4.l5.l6.l7.l8.l9.l10.l11.l12.leaf")).isFalse();
						}, "--secrets.include-subfolders=true"),
				Case.starts("10,000 files", BadInputTests::tenThousandFiles,
						(context) -> assertThat(context.getEnvironment().getProperty("secrets.file.file_09999"))
							.isEqualTo("Many-Value-9999")),
				Case.starts("unicode, spaces, uppercase and dots in names", BadInputTests::oddNames,
						(context) -> {
							assertThat(context.getEnvironment().getProperty("secrets.file.pässwörd")).isEqualTo("Umlaut-1");
							assertThat(context.getEnvironment().getProperty("secrets.file.密码")).isEqualTo("Han-2");
							assertThat(context.getEnvironment().getProperty("secrets.file.My Secret")).isEqualTo("Space-3");
							assertThat(context.getEnvironment().getProperty("secrets.file.API.Key")).isEqualTo("Dots-4");
						}),
				Case.fails("writable by others", (dir) -> mode(dir, "redis_password", "Others-Write-1", "rw-rw-rw-"),
						"redis_password (feeds spring.data.redis.password): is writable by other users (mode rw-rw-rw-)"),
				Case.startsWithWarning("writable by others, check set to warn",
						(dir) -> mode(dir, "redis_password", "Others-Write-2", "rw-rw-rw-"),
						"redis_password (feeds spring.data.redis.password): is writable by other users (mode rw-rw-rw-)",
						"--secrets.permission-check=warn"),
				Case.starts("Swarm's 0444 and Kubernetes' 0644",
						(dir) -> concat(mode(dir, "redis_password", "Swarm-Mode-1", "r--r--r--"),
								mode(dir, "db_password_server", "Kube-Mode-2", "rw-r--r--")),
						(context) -> assertThat(context.getEnvironment().getProperty("spring.data.redis.password"))
							.isEqualTo("Swarm-Mode-1")),
				Case.fails("link outside secrets.dir", BadInputTests::externalLink,
						"redis_password (feeds spring.data.redis.password): links to "),
				Case.starts("link outside secrets.dir, allowed", BadInputTests::externalLink,
						(context) -> assertThat(context.getEnvironment().getProperty("spring.data.redis.password"))
							.isEqualTo("External-Target-1"),
						"--secrets.allow-external-links=true"),
				Case.fails("dangling link", BadInputTests::danglingLink,
						"redis_password (feeds spring.data.redis.password): is a symbolic link whose target does not exist"),
				Case.fails("folder where a required file is expected",
						(dir) -> folder(dir, "redis_password"),
						"redis_password (feeds spring.data.redis.password, secrets.file.redis_password): is required"
								+ " (secrets.required) but is a folder, not a file",
						"--secrets.required=redis_password"),
				Case.fails("FIFO", BadInputTests::fifo,
						"redis_password (feeds spring.data.redis.password): is not a regular file (a FIFO, socket or device)"),
				Case.fails("entry that cannot be read (link loop)", BadInputTests::linkLoop,
						"redis_password (feeds spring.data.redis.password): cannot be read"),
				Case.fails("placeholder in a mapped secret", (dir) -> write(dir, "redis_password", "changeme"),
						"redis_password (feeds spring.data.redis.password, secrets.file.redis_password): holds a"
								+ " placeholder from a setup guide, not a real secret"),
				Case.fails("placeholder key from a setup guide",
						(dir) -> write(dir, "crypto_key", "your-32-char-minimum-crypto-key-here"),
						"crypto_key (feeds secrets.file.crypto_key): holds a placeholder"),
				Case.starts("placeholder allowed", (dir) -> write(dir, "redis_password", "your-secure-password"),
						(context) -> assertThat(context.getEnvironment().getProperty("spring.data.redis.password"))
							.isEqualTo("your-secure-password"),
						"--secrets.reject-placeholders=false"),
				Case.fails("required name outside the folder", (dir) -> List.of(),
						"../etc/passwd: is listed in secrets.required but is not a file name inside secrets.dir",
						"--secrets.required=../etc/passwd"));
	}

	private static List<String> write(Path dir, String name, String value) throws IOException {
		Files.writeString(dir.resolve(name), value);
		return value.isBlank() ? List.of() : List.of(value);
	}

	private static List<String> bytes(Path dir, String name, byte[] value) throws IOException {
		Files.write(dir.resolve(name), value);
		return List.of();
	}

	private static List<String> mode(Path dir, String name, String value, String mode) throws IOException {
		Path file = Files.writeString(dir.resolve(name), value);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
		return List.of(value);
	}

	private static List<String> folder(Path dir, String name) throws IOException {
		Files.createDirectory(dir.resolve(name));
		return List.of();
	}

	private static List<String> binary(Path dir) throws IOException {
		byte[] random = new byte[4096];
		new Random(42).nextBytes(random);
		random[0] = (byte) 0xFF;
		Files.write(dir.resolve("redis_password"), random);
		return List.of();
	}

	private static List<String> deepNesting(Path dir) throws IOException {
		Path deep = dir;
		for (int level = 1; level <= 12; level++) {
			deep = deep.resolve("l" + level);
			if (level == 8) {
				Files.createDirectories(deep);
				Files.writeString(deep.resolve("leaf"), "Deep-Value-8");
			}
		}
		Files.createDirectories(deep);
		Files.writeString(deep.resolve("leaf"), "Too-Deep-Value-12");
		return List.of("Deep-Value-8", "Too-Deep-Value-12");
	}

	private static List<String> tenThousandFiles(Path dir) throws IOException {
		for (int i = 0; i < 10_000; i++) {
			Files.writeString(dir.resolve(String.format("file_%05d", i)), "Many-Value-" + i);
		}
		return List.of("Many-Value-9999", "Many-Value-0");
	}

	private static List<String> oddNames(Path dir) throws IOException {
		Files.writeString(dir.resolve("pässwörd"), "Umlaut-1");
		Files.writeString(dir.resolve("密码"), "Han-2");
		Files.writeString(dir.resolve("My Secret"), "Space-3");
		Files.writeString(dir.resolve("API.Key"), "Dots-4");
		return List.of("Umlaut-1", "Han-2", "Space-3", "Dots-4");
	}

	private static List<String> externalLink(Path dir) throws IOException {
		Path outside = Files.createTempDirectory("outside-secrets");
		Path target = Files.writeString(outside.resolve("target"), "External-Target-1");
		Files.createSymbolicLink(dir.resolve("redis_password"), target);
		return List.of("External-Target-1");
	}

	private static List<String> danglingLink(Path dir) throws IOException {
		Files.createSymbolicLink(dir.resolve("redis_password"), dir.resolve("gone"));
		return List.of();
	}

	private static List<String> linkLoop(Path dir) throws IOException {
		Files.createSymbolicLink(dir.resolve("redis_password"), dir.resolve("redis_password"));
		return List.of();
	}

	private static List<String> fifo(Path dir) throws Exception {
		Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("redis_password").toString()).start();
		assertThat(mkfifo.waitFor()).isZero();
		return List.of();
	}

	private static List<String> concat(List<String> first, List<String> second) {
		List<String> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

	@FunctionalInterface
	interface Setup {

		List<String> apply(Path dir) throws Exception;

	}

	@FunctionalInterface
	interface Started {

		void check(ConfigurableApplicationContext context);

	}

	record Case(String name, Setup setup, List<String> args, Started started, String failure, List<String> warnings) {

		static Case fails(String name, Setup setup, String failure, String... args) {
			return new Case(name, setup, List.of(args), (context) -> {
			}, failure, List.of());
		}

		static Case starts(String name, Setup setup, Started started, String... args) {
			return new Case(name, setup, List.of(args), started, null, List.of());
		}

		static Case startsWithWarning(String name, Setup setup, String warning, String... args) {
			return new Case(name, setup, List.of(args), (context) -> {
			}, null, List.of(warning));
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
