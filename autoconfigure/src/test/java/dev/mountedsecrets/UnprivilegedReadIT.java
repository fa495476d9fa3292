package dev.mountedsecrets;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * "Cannot be read (permission denied)" and the owner rule for real. Root reads any file whatever its mode, and CI
 * runs as root, so the start-up runs in a forked JVM as {@code nobody} (through
 * {@code setpriv}) when the tests run as root, and as the current user otherwise. The JDK is
 * world-readable; the test class path is linked into a world-readable folder for the fork.
 * The owner tests give files away to a third uid with {@code chown}, which only root can: they
 * are skipped when the tests do not run as root.
 */
class UnprivilegedReadIT {

	private static final FileAttribute<?> READABLE_FOLDER = PosixFilePermissions
		.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"));

	private static final String DB_PASSWORD = "Unpriv-Db-4e81c0a7";

	private static final String KEY = "Unpriv-Crypto-Key-9b2d07e6f14a3c58d0";

	private static final String REDIS_PASSWORD = "Unpriv-Redis-0d6e2b94";

	private static final int APP_UID = 65534;

	private static final int THIRD_UID = 4242;

	private Path root;

	private Path secrets;

	private List<String> classPath;

	@BeforeEach
	void prepare() throws IOException {
		this.root = Files.createTempDirectory("unprivileged-read");
		Files.setPosixFilePermissions(this.root, PosixFilePermissions.fromString("rwxr-xr-x"));
		this.classPath = linkClassPath(this.root.resolve("classpath"));
		this.secrets = Files.createDirectory(this.root.resolve("secrets"));
		Files.setPosixFilePermissions(this.secrets, PosixFilePermissions.fromString("rwxr-xr-x"));
		writeReadable("db_password_server", DB_PASSWORD);
	}

	@AfterEach
	void clean() throws IOException {
		FileSystemUtils.deleteRecursively(this.root);
	}

	@Test
	void startWhenFileReadableByTheUserStarts() throws Exception {
		writeReadable("crypto_key", KEY);
		Forked run = startUnprivileged();
		assertThat(run.output()).contains("STARTED, spring.datasource.password served: true")
			.doesNotContain(DB_PASSWORD)
			.doesNotContain(KEY);
		assertThat(run.exitCode()).isZero();
	}

	@Test
	void startWhenFileUnreadableByTheUserFailsWithPermissionDenied() throws Exception {
		writeReadable("crypto_key", KEY);
		Path file = this.secrets.resolve("db_password_server");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
		Forked run = startUnprivileged();
		assertThat(run.exitCode()).isNotZero();
		assertThat(run.output()).contains("APPLICATION FAILED TO START")
			.contains("- " + file + " (feeds spring.datasource.password): cannot be read (permission denied)")
			.contains("- " + file + ": Give the application's user read access to the file and its folder.")
			.doesNotContain("STARTED")
			.doesNotContain(DB_PASSWORD)
			.doesNotContain(KEY);
	}

	@Test
	void startWhenUnreadableFileIsAlsoAnotherNameSaysItIsOneFile() throws Exception {
		// Docker Swarm, one secret at two targets: one file, with the owner and mode of one
		// reference only (here the reference that keeps the application's user out).
		writeReadable("crypto_key", KEY);
		Path file = this.secrets.resolve("db_password_server");
		Path other = Files.createLink(this.secrets.resolve("postgres_password"), file);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
		Forked run = startUnprivileged();
		assertThat(run.exitCode()).isNotZero();
		assertThat(run.output()).contains("- " + file + " (feeds spring.datasource.password): cannot be read (permission denied)")
			.contains("- " + file + ": Give the application's user read access to the file and its folder. It is one file"
					+ " with " + other + " (Docker Swarm mounts a secret used at two targets as one file")
			.contains("give every target of that secret the same uid, gid and mode.")
			.doesNotContain(DB_PASSWORD)
			.doesNotContain(KEY);
	}

	@Test
	void startWhenFolderUnlistableByTheUserFailsWithPermissionDenied() throws Exception {
		writeReadable("crypto_key", KEY);
		Files.setPosixFilePermissions(this.secrets, PosixFilePermissions.fromString("rwx------"));
		Forked run = startUnprivileged();
		assertThat(run.exitCode()).isNotZero();
		assertThat(run.output()).contains("APPLICATION FAILED TO START")
			.contains("- " + this.secrets + ": the secrets folder cannot be listed (permission denied)")
			.contains("Give the application's user read and execute access to the folder.")
			.doesNotContain("STARTED")
			.doesNotContain(DB_PASSWORD)
			.doesNotContain(KEY);
	}

	@Test
	void startWhenFilesOwnedByRootOrTheApplicationsUserStartsWithoutOwnerWarning() throws Exception {
		assumeRoot();
		// Swarm: 0444 files of root in a root 0755 folder, or 0400 files of the app's uid.
		Path key = SecretFiles.write(this.secrets, "crypto_key", KEY);
		Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
		chown(key, APP_UID);
		Files.setPosixFilePermissions(this.secrets.resolve("db_password_server"),
				PosixFilePermissions.fromString("r--r--r--"));
		Forked run = startUnprivileged("--secrets.owner-check=fail");
		assertThat(run.exitCode()).isZero();
		assertThat(run.output()).contains("STARTED, spring.datasource.password served: true")
			.doesNotContain("is owned by uid")
			.doesNotContain(DB_PASSWORD)
			.doesNotContain(KEY);
	}

	@Test
	void startWhenFileOwnedByThirdUserWarnsNamingFilePropertyUidAndFix() throws Exception {
		assumeRoot();
		writeReadable("crypto_key", KEY);
		Path file = writeOwnedByThirdUser("redis_password", REDIS_PASSWORD);
		Forked run = startUnprivileged();
		assertThat(run.exitCode()).isZero();
		assertThat(run.output()).contains("STARTED, spring.datasource.password served: true")
			.contains(file + " (feeds spring.data.redis.password): is owned by uid 4242, neither root nor the"
					+ " application's user (uid 65534) nor in secrets.trusted-owners: that user can change it."
					+ " Run 'chown root " + file + "' (or chown it to the application's user, uid 65534); if uid"
					+ " 4242 is meant to manage the secrets (a Compose bind mount keeps the host user's uid), add it"
					+ " to secrets.trusted-owners.")
			.doesNotContain(REDIS_PASSWORD)
			.doesNotContain(DB_PASSWORD);
		Forked trusted = startUnprivileged("--secrets.trusted-owners=4242");
		assertThat(trusted.exitCode()).isZero();
		assertThat(trusted.output()).contains("STARTED").doesNotContain("is owned by uid");
	}

	@Test
	void startWhenFileOwnedByThirdUserAndOwnerCheckFailsRefusesToStart() throws Exception {
		assumeRoot();
		writeReadable("crypto_key", KEY);
		Path file = writeOwnedByThirdUser("redis_password", REDIS_PASSWORD);
		Forked run = startUnprivileged("--secrets.owner-check=fail");
		assertThat(run.exitCode()).isNotZero();
		assertThat(run.output()).contains("APPLICATION FAILED TO START")
			.contains("- " + file + " (feeds spring.data.redis.password): is owned by uid 4242")
			.doesNotContain("STARTED")
			.doesNotContain(REDIS_PASSWORD);
	}

	@Test
	void startWhenSecretsFolderOwnedByThirdUserWarnsAboutTheFolder() throws Exception {
		assumeRoot();
		writeReadable("crypto_key", KEY);
		chown(this.secrets, THIRD_UID);
		Forked run = startUnprivileged();
		assertThat(run.exitCode()).isZero();
		assertThat(run.output()).contains("STARTED, spring.datasource.password served: true")
			.contains(this.secrets.toRealPath() + ": is owned by uid 4242, neither root nor the application's user"
					+ " (uid 65534)");
	}

	private Path writeOwnedByThirdUser(String name, String value) throws IOException {
		Path file = SecretFiles.write(this.secrets, name, value);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
		chown(file, THIRD_UID);
		return file;
	}

	private static void chown(Path path, int uid) throws IOException {
		Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
	}

	private static void assumeRoot() {
		assumeThat(System.getProperty("user.name")).as("chown to a third uid needs root").isEqualTo("root");
	}

	private void writeReadable(String name, String value) throws IOException {
		Path file = SecretFiles.write(this.secrets, name, value);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
	}

	private Forked startUnprivileged(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		if ("root".equals(System.getProperty("user.name"))) {
			command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
		}
		command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:TieredStopAtLevel=1", "-cp", String.join(File.pathSeparator, this.classPath),
				StartMain.class.getName(), "--secrets.dir=" + this.secrets, "--logging.level.root=TRACE"));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().keySet().removeIf((name) -> name.endsWith("_FILE"));
		builder.directory(this.root.toFile());
		builder.redirectErrorStream(true);
		Process process = builder.start();
		byte[] output = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
		String text = new String(output, StandardCharsets.UTF_8);
		if (command.get(0).equals("setpriv")) {
			assertThat(text).contains("USER nobody");
		}
		return new Forked(process.exitValue(), text);
	}

	/**
	 * Hard links of the class path (same file system, so no copy) in a folder anyone may read:
	 * a local Maven repository under {@code /root} is closed to other users.
	 */
	private static List<String> linkClassPath(Path target) throws IOException {
		List<String> entries = new ArrayList<>();
		int index = 0;
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			Path source = Path.of(entry);
			if (!Files.exists(source)) {
				continue;
			}
			Path copy = target.resolve(index++ + "-" + source.getFileName());
			link(source, copy);
			entries.add(copy.toString());
		}
		return entries;
	}

	private static void link(Path source, Path copy) throws IOException {
		Files.createDirectories(copy.getParent(), READABLE_FOLDER);
		if (Files.isDirectory(source)) {
			try (Stream<Path> files = Files.walk(source)) {
				for (Path file : files.toList()) {
					Path to = copy.resolve(source.relativize(file).toString());
					if (Files.isDirectory(file)) {
						Files.createDirectories(to, READABLE_FOLDER);
					}
					else {
						copyReadable(file, to);
					}
				}
			}
			return;
		}
		// A link shares the file's mode: only a file others may already read is linked.
		if (Files.getPosixFilePermissions(source).contains(PosixFilePermission.OTHERS_READ)) {
			try {
				Files.createLink(copy, source);
				return;
			}
			catch (IOException | UnsupportedOperationException ex) {
				// another file system: copy instead
			}
		}
		copyReadable(source, copy);
	}

	private static void copyReadable(Path file, Path to) throws IOException {
		Files.copy(file, to);
		Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
	}

	private record Forked(int exitCode, String output) {

	}

}
