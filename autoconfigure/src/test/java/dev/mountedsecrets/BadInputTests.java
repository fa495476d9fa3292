package dev.mountedsecrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.unit.DataSize;

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

	private static final String RACE_VALUE = "Race-Inside-Value-41d7";

	private static final String OUTSIDE_VALUE = "Race-Outside-Value-9c02";

	private static final int MAX_SWAPS = 200_000;

	private static final int READS = 200;

	@TempDir
	Path dir;

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	@MustNotHang
	void startWithBadInputGivesExactOutcome(Case c, CapturedOutput output) throws Exception {
		SecretFiles.write(this.dir, "email_password", CANARY);
		List<String> leaks = new ArrayList<>(c.setup().apply(this.dir));
		leaks.add(CANARY);
		List<String> args = new ArrayList<>(List.of("--secrets.dir=" + this.dir));
		c.args().forEach((arg) -> args.add(arg.replace("{dir}", this.dir.toString())));
		Throwable failure = catchThrowable(() -> {
			try (ConfigurableApplicationContext context = TestApplications.run(resolve(c.env(), this.dir),
					args.toArray(String[]::new))) {
				c.started().check(context);
			}
		});
		if (c.failure() == null) {
			assertThat(failure).as(c.name()).isNull();
		}
		else {
			assertThat(failure).as(c.name()).isInstanceOf(InvalidSecretsException.class);
			assertThat(failure.getMessage()).contains(c.failure().replace("{dir}", this.dir.toString()));
			c.alsoFails()
				.forEach((also) -> assertThat(failure.getMessage()).contains(also.replace("{dir}", this.dir.toString())));
			assertThat(output).contains("APPLICATION FAILED TO START");
			leaks.forEach((leak) -> assertThat(failure.getMessage()).doesNotContain(leak));
		}
		for (String warning : c.warnings()) {
			assertThat(output).contains("WARN").contains(warning.replace("{dir}", this.dir.toString()));
		}
		leaks.forEach((leak) -> assertThat(output.getAll()).as("output leaks a secret").doesNotContain(leak));
	}

	/**
	 * A swapper replaces redis_password, with atomic renames, as fast as it can (a bounded
	 * number of times) while the folder is read again and again and an application starts.
	 * Each read ends in the right value or in one of the listed refusals; never in the other
	 * content, never in a read that blocks for good.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("races")
	@MustNotHang
	void readWhileSwapperRacesGivesRightValueOrRefusal(Race race, CapturedOutput output) throws Exception {
		SecretFiles.write(this.dir, "email_password", CANARY);
		Path file = Files.writeString(this.dir.resolve("redis_password"), RACE_VALUE);
		Path outside = Files.createTempDirectory("race-outside");
		Files.writeString(outside.resolve("target"), OUTSIDE_VALUE);
		List<Path> fifos = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			fifos.add(makeFifo(this.dir.resolve(".fifo-" + i)));
		}
		AtomicBoolean stop = new AtomicBoolean();
		AtomicInteger swaps = new AtomicInteger();
		Thread swapper = new Thread(() -> {
			try {
				for (int i = 0; i < MAX_SWAPS && !stop.get(); i++) {
					Path next = this.dir.resolve(".next");
					Files.deleteIfExists(next);
					if (i % 2 == 1) {
						Files.writeString(next, RACE_VALUE);
					}
					else if (race.fifo()) {
						Files.createLink(next, fifos.get(i / 2 % fifos.size()));
					}
					else {
						Files.createSymbolicLink(next, outside.resolve("target"));
					}
					Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
					swaps.incrementAndGet();
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}, "swapper");
		swapper.start();
		ReadOptions options = new ReadOptions(DataSize.ofKilobytes(64), false, CheckMode.FAIL, false,
				Duration.ofMillis(200));
		Set<String> outcomes = new TreeSet<>();
		Throwable failure;
		try {
			for (int i = 0; i < READS; i++) {
				SecretsSnapshot snapshot = new SecretsFolder(this.dir, options).read();
				SecretFile read = snapshot.get("redis_password");
				if (read != null) {
					assertThat(read.value()).isEqualTo(RACE_VALUE);
					outcomes.add("read");
				}
				else {
					assertThat(snapshot.problems()).singleElement()
						.satisfies((problem) -> assertThat(race.refusals()).anySatisfy(
								(refusal) -> assertThat(problem.rule()).startsWith(refusal)))
						.satisfies((problem) -> outcomes.add(problem.rule().replaceAll(" \\(.*", "")));
				}
			}
			failure = catchThrowable(() -> TestApplications
				.run("--secrets.dir=" + this.dir, "--secrets.read-timeout=200ms")
				.close());
		}
		finally {
			// also when an assertion failed: no swapper and no stuck reader left for the tests after
			stop.set(true);
			swapper.join();
			while (SecretFileReader.abandonedReads() > 0) {
				for (Path fifo : fifos) {
					Files.newByteChannel(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
				}
				Thread.onSpinWait();
			}
		}
		if (failure != null) {
			assertThat(failure).isInstanceOf(InvalidSecretsException.class);
			assertThat(race.refusals()).anySatisfy((refusal) -> assertThat(failure.getMessage())
				.contains(file + " (feeds spring.data.redis.password): " + refusal));
		}
		System.out.println("Race '" + race.name() + "': " + swaps.get() + " swaps, " + READS + " reads, outcomes "
				+ outcomes);
		assertThat(output.getAll()).doesNotContain(CANARY).doesNotContain(RACE_VALUE).doesNotContain(OUTSIDE_VALUE);
	}

	static Stream<Race> races() {
		return Stream.of(
				// What must never happen is the outside content. An open refused because the
				// path became a link (ELOOP) is reported as replaced too: a later look cannot
				// tell, since the regular file put back may reuse the checked file's inode.
				new Race("regular file and a link outside", false, List.of("links to ",
						"was replaced while it was being read")),
				// A reader released from a FIFO (by the release of an earlier read given up on
				// the same FIFO) whose path then holds a regular file on the checked inode again
				// reads nothing: "changed while it was being read".
				new Race("regular file and a FIFO", true, List.of("is not a regular file",
						"was replaced while it was being read", "changed while it was being read",
						"could not be read within secrets.read-timeout")));
	}

	record Race(String name, boolean fifo, List<String> refusals) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	private static Path makeFifo(Path path) throws Exception {
		assertThat(new ProcessBuilder("mkfifo", path.toString()).start().waitFor()).isZero();
		return path;
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
						}, "--secrets.include-subfolders=true")
					.warns("{dir}/l1/l2/l3/l4/l5/l6/l7/l8/l9: is more than 8 folders below secrets.dir; the files in it"
							+ " are not read"),
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
						"--secrets.required=../etc/passwd"),
				Case.fails("sub-folder writable by others", BadInputTests::openSubfolder,
						"{dir}/db: is writable by other users (mode rwxrwxrwx)", "--secrets.include-subfolders=true"),
				Case.fails("Kubernetes ..<timestamp> folder writable by others", BadInputTests::openKubernetesFolder,
						"{dir}/redis_password (feeds spring.data.redis.password): links into {dir}/..2026_11_28_20_00_00.1,"
								+ " which is writable by other users (mode rwxrwxrwx)"),
				Case.fails("allowed outside link into a folder writable by others", BadInputTests::openLinkTargetFolder,
						"{dir}/redis_password (feeds spring.data.redis.password): links into ",
						"--secrets.allow-external-links=true"),
				Case.fails("six links looping back to the folder", BadInputTests::sixLoops,
						"{dir}/l1: leads to a folder already read as {dir} (a link loop, or a second link to that folder)",
						"--secrets.include-subfolders=true"),
				Case.fails("two links to one sub-folder", BadInputTests::twoLinksToOneFolder,
						"{dir}/b: leads to a folder already read as {dir}/a", "--secrets.include-subfolders=true"),
				Case.startsWithWarning("hard link to a file outside the folder", BadInputTests::hardLink,
						"{dir}/redis_password (feeds spring.data.redis.password): has 2 hard links"),
				Case.fails("name collision between a sub-folder file and a dotted file", BadInputTests::collision,
						"{dir}/db.password: has the same secret name (db.password) as {dir}/db/password",
						"--secrets.include-subfolders=true"),
				Case.fails("newline and escape characters in a file name", BadInputTests::controlCharacters,
						"{dir}/evil\\nWARN forged\\u001b[0m\\u0085: has control characters in its name (shown escaped)"),
				Case.fails("right-to-left override in a file name", BadInputTests::bidiOverride,
						"{dir}/redis_password\\u202etxt.exe: has invisible formatting characters in its name, such as a"
								+ " bidirectional override (shown escaped)"),
				Case.fails("zero-width space in a file name", BadInputTests::zeroWidthSpace,
						"{dir}/db_password\\u200bserver: has invisible formatting characters in its name"),
				Case.fails("X_FILE writable by others holding a placeholder", BadInputTests::openFileVariable,
						"SPRING_DATASOURCE_PASSWORD_FILE ({dir}/../x-file/pw) (feeds spring.datasource.password): is"
								+ " writable by other users (mode rw-rw-rw-)")
					.env("SPRING_DATASOURCE_PASSWORD_FILE", "{dir}/../x-file/pw"),
				Case.fails("X_FILE holding a placeholder", (dir) -> fileVariable(dir, "rw-------", "rwx------", "changeme"),
						"SPRING_DATASOURCE_PASSWORD_FILE ({dir}/../x-file/pw) (feeds spring.datasource.password): holds a"
								+ " placeholder from a setup guide, not a real secret")
					.env("SPRING_DATASOURCE_PASSWORD_FILE", "{dir}/../x-file/pw"),
				Case.fails("X_FILE in a folder writable by others",
						(dir) -> fileVariable(dir, "rw-------", "rwxrwxrwx", "Open-Folder-Pw-1"),
						"SPRING_DATASOURCE_PASSWORD_FILE ({dir}/../x-file/pw) (feeds spring.datasource.password): is in ")
					.env("SPRING_DATASOURCE_PASSWORD_FILE", "{dir}/../x-file/pw"),
				Case.fails("X_FILE shorter than the mapped file's minimum",
						(dir) -> fileVariable(dir, "rw-------", "rwx------", "Short-Pw-1"),
						"(feeds spring.datasource.password): is shorter than the 20 characters required"
								+ " (secrets.min-length.db_password_server)",
						"--secrets.min-length.db_password_server=20")
					.env("SPRING_DATASOURCE_PASSWORD_FILE", "{dir}/../x-file/pw"),
				Case.fails("X_FILE larger than max-file-size",
						(dir) -> fileVariable(dir, "rw-------", "rwx------", "X".repeat(70_000)),
						"(feeds spring.datasource.password): is larger than secrets.max-file-size (65536B)")
					.env("SPRING_DATASOURCE_PASSWORD_FILE", "{dir}/../x-file/pw"),
				Case.fails("X_FILE not UTF-8", BadInputTests::binaryFileVariable,
						"(feeds spring.datasource.password): is not valid UTF-8")
					.env("SPRING_DATASOURCE_PASSWORD_FILE", "{dir}/../x-file/pw"),
				Case.starts("X_FILE in a sticky shared folder such as /tmp",
						(dir) -> fileVariable(dir, "rw-------", "rwxrwxrwt", "Sticky-Folder-Pw-1"),
						(context) -> assertThat(context.getEnvironment().getProperty("spring.datasource.password"))
							.isEqualTo("Sticky-Folder-Pw-1"))
					.env("SPRING_DATASOURCE_PASSWORD_FILE", "{dir}/../x-file/pw"),
				Case.fails("SPRING_APPLICATION_JSON overriding a secret file, check set to fail",
						(dir) -> write(dir, "db_password_server", "Db-File-Pw-1"),
						"SPRING_APPLICATION_JSON entry spring.datasource.password: sets a property that a secret file"
								+ " serves",
						"--secrets.environment-check=fail")
					.env("SPRING_APPLICATION_JSON", "{\"spring\":{\"datasource\":{\"password\":\"Json-Pw-77\"}}}"),
				Case.startsWithWarning("SPRING_APPLICATION_JSON overriding a secret file",
						(dir) -> concat(write(dir, "db_password_server", "Db-File-Pw-1"), List.of("Json-Pw-77")),
						"SPRING_APPLICATION_JSON entry spring.datasource.password (sets a property that a secret file"
								+ " serves)")
					.env("SPRING_APPLICATION_JSON", "{\"spring\":{\"datasource\":{\"password\":\"Json-Pw-77\"}}}"),
				Case.fails("spring.application.json argument overriding a secret file, check set to fail",
						(dir) -> write(dir, "db_password_server", "Db-File-Pw-1"),
						"SPRING_APPLICATION_JSON entry spring.datasource.password: sets a property that a secret file"
								+ " serves",
						"--secrets.environment-check=fail",
						"--spring.application.json={\"spring.datasource.password\":\"Json-Arg-Pw-78\"}"),
				Case.starts("management, logging and secrets settings, check set to fail", (dir) -> List.of(),
						(context) -> assertThat(context.isActive()).isTrue(), "--secrets.environment-check=fail",
						"--management.endpoint.secrets.access=read-only", "--logging.level.dev.mountedsecrets=DEBUG",
						"--management.endpoint.health.show-details=always", "--secrets.min-length.token_secret_key=40")
					.env("MANAGEMENT_ENDPOINT_SECRETS_ACCESS", "read-only"),
				Case.fails("*PASS and *PASSWD names, check set to fail", (dir) -> List.of("Pass-Value-1", "Passwd-Value-2"),
						"environment variable SMTP_PASS: has a name that looks like a secret",
						"--secrets.environment-check=fail", "--app.db.passwd=Passwd-Value-2")
					.env("SMTP_PASS", "Pass-Value-1")
					.also("command-line argument --app.db.passwd: has a name that looks like a secret"));
	}

	private static Map<String, String> resolve(Map<String, String> env, Path dir) {
		Map<String, String> resolved = new HashMap<>();
		env.forEach((name, value) -> resolved.put(name, value.replace("{dir}", dir.toString())));
		return resolved;
	}

	private static List<String> openSubfolder(Path dir) throws IOException {
		Path db = Files.createDirectory(dir.resolve("db"));
		Files.writeString(db.resolve("password"), "Open-Subfolder-1");
		Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rwxrwxrwx"));
		return List.of("Open-Subfolder-1");
	}

	private static List<String> openKubernetesFolder(Path dir) throws IOException {
		new KubernetesSecretVolume(dir).write("redis_password", "Kube-Open-1");
		Files.setPosixFilePermissions(dir.resolve("..2026_11_28_20_00_00.1"), PosixFilePermissions.fromString("rwxrwxrwx"));
		return List.of("Kube-Open-1");
	}

	private static List<String> openLinkTargetFolder(Path dir) throws IOException {
		Path outside = Files.createTempDirectory("open-outside");
		Path target = Files.writeString(outside.resolve("target"), "Open-Outside-1");
		Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwxrwxrwx"));
		Files.createSymbolicLink(dir.resolve("redis_password"), target);
		return List.of("Open-Outside-1");
	}

	private static List<String> sixLoops(Path dir) throws IOException {
		for (int i = 1; i <= 6; i++) {
			Files.createSymbolicLink(dir.resolve("l" + i), Path.of("."));
		}
		return List.of();
	}

	private static List<String> twoLinksToOneFolder(Path dir) throws IOException {
		Path real = Files.createDirectory(dir.resolve("..real"));
		Files.writeString(real.resolve("key"), "Twice-Linked-1");
		Files.createSymbolicLink(dir.resolve("a"), Path.of("..real"));
		Files.createSymbolicLink(dir.resolve("b"), Path.of("..real"));
		return List.of("Twice-Linked-1");
	}

	private static List<String> hardLink(Path dir) throws IOException {
		Path outside = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-outside"));
		Path original = Files.writeString(outside.resolve("original"), "Hard-Linked-1");
		Files.createLink(dir.resolve("redis_password"), original);
		return List.of("Hard-Linked-1");
	}

	private static List<String> collision(Path dir) throws IOException {
		Path db = Files.createDirectory(dir.resolve("db"));
		Files.writeString(db.resolve("password"), "Collide-Folder-1");
		Files.writeString(dir.resolve("db.password"), "Collide-Dotted-2");
		return List.of("Collide-Folder-1", "Collide-Dotted-2");
	}

	private static List<String> controlCharacters(Path dir) throws IOException {
		Files.writeString(dir.resolve("evil\nWARN forged\u001b[0m\u0085"), "Control-Name-1");
		return List.of("Control-Name-1", "evil\n", "\u001b[0m", "\u0085");
	}

	private static List<String> bidiOverride(Path dir) throws IOException {
		// shown as is, the name would read "redis_passwordexe.txt"
		Files.writeString(dir.resolve("redis_password\u202etxt.exe"), "Bidi-Name-1");
		return List.of("Bidi-Name-1", "\u202e");
	}

	private static List<String> zeroWidthSpace(Path dir) throws IOException {
		// shown as is, the name would read as the mapped db_passwordserver
		Files.writeString(dir.resolve("db_password\u200bserver"), "Zero-Width-Name-1");
		return List.of("Zero-Width-Name-1", "\u200b");
	}

	private static List<String> openFileVariable(Path dir) throws Exception {
		fileVariable(dir, "rw-rw-rw-", "rwx------", "changeme");
		return List.of();
	}

	private static List<String> fileVariable(Path dir, String fileMode, String folderMode, String value)
			throws Exception {
		Path folder = Files.createDirectories(dir.resolveSibling("x-file"));
		Path file = Files.writeString(folder.resolve("pw"), value);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(fileMode));
		if (folderMode.endsWith("t")) {
			Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
			Process chmod = new ProcessBuilder("chmod", "+t", folder.toString()).start();
			assertThat(chmod.waitFor()).isZero();
		}
		else {
			Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString(folderMode));
		}
		return value.equals("changeme") ? List.of() : List.of(value);
	}

	private static List<String> binaryFileVariable(Path dir) throws IOException {
		Path folder = Files.createDirectories(dir.resolveSibling("x-file"));
		Files.write(folder.resolve("pw"), new byte[] { 'B', 'i', 'n', (byte) 0xC3, (byte) 0x28, (byte) 0xFF });
		return List.of();
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
		makeFifo(dir.resolve("redis_password"));
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

	record Case(String name, Setup setup, List<String> args, Started started, String failure, List<String> warnings,
			Map<String, String> env, List<String> alsoFails) {

		static Case fails(String name, Setup setup, String failure, String... args) {
			return new Case(name, setup, List.of(args), (context) -> {
			}, failure, List.of(), Map.of(), List.of());
		}

		static Case starts(String name, Setup setup, Started started, String... args) {
			return new Case(name, setup, List.of(args), started, null, List.of(), Map.of(), List.of());
		}

		static Case startsWithWarning(String name, Setup setup, String warning, String... args) {
			return new Case(name, setup, List.of(args), (context) -> {
			}, null, List.of(warning), Map.of(), List.of());
		}

		/** The same case, with a variable in the OS environment ({dir} stands for the folder). */
		Case env(String variable, String value) {
			Map<String, String> env = new HashMap<>(this.env);
			env.put(variable, value);
			return new Case(this.name, this.setup, this.args, this.started, this.failure, this.warnings, env,
					this.alsoFails);
		}

		/** The same case, with one more warning expected. */
		Case warns(String warning) {
			List<String> warnings = new ArrayList<>(this.warnings);
			warnings.add(warning);
			return new Case(this.name, this.setup, this.args, this.started, this.failure, warnings, this.env,
					this.alsoFails);
		}

		/** The same case, with one more text its failure must show. */
		Case also(String failure) {
			List<String> also = new ArrayList<>(this.alsoFails);
			also.add(failure);
			return new Case(this.name, this.setup, this.args, this.started, this.failure, this.warnings, this.env,
					also);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
