package dev.mountedsecrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.sun.security.auth.module.UnixSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * systemd's credentials for real: a forked JVM, started the way systemd starts a service
 * with {@code LoadCredential=} (only {@code $CREDENTIALS_DIRECTORY} set; files 0400 and the
 * folder 0500, owned by the service's user), runs as that non-root user. When the tests run
 * as root, {@code setpriv} drops to user 65534 with no capabilities, so no permission is
 * bypassed; another user is shown to be refused.
 */
class SystemdCredentialsIT {

	private static final int SERVICE_UID = 65534;

	/** Just what a Spring application with the starter needs; not the real servers' binaries. */
	private static final Pattern NEEDED = Pattern
		.compile("(spring-(?!cloud)[^/]*|commons-logging|jspecify|micrometer-(observation|commons)|logback-|slf4j-|log4j-|snakeyaml)"
				+ "[^/]*\\.jar$");

	private static final boolean ROOT = new UnixSystem().getUid() == 0;

	@TempDir
	Path base;

	private Path classpath;

	private Path credentials;

	@BeforeEach
	void layOut() throws IOException {
		Files.setPosixFilePermissions(this.base, PosixFilePermissions.fromString("rwxr-xr-x"));
		this.classpath = Files.createDirectory(this.base.resolve("lib"));
		this.credentials = Files.createDirectory(this.base.resolve("credentials"));
		SystemdCredentialsTests.writeCredentialsLikeSystemd(this.credentials, SystemdCredentialsTests.KEY);
		if (ROOT) {
			UserPrincipalLookupService users = this.credentials.getFileSystem().getUserPrincipalLookupService();
			try (Stream<Path> files = Files.list(this.credentials)) {
				for (Path file : Stream.concat(files, Stream.of(this.credentials)).toList()) {
					Files.setOwner(file, users.lookupPrincipalByName("nobody"));
				}
			}
		}
	}

	@Test
	void runWhenServiceUserReadsItsCredentialsStartsWithEverySecretAndNoProblem() throws Exception {
		Forked run = fork(SERVICE_UID);
		assertThat(run.exitCode()).as(run.output()).isZero();
		assertThat(run.output()).contains("uid=" + (ROOT ? SERVICE_UID : new UnixSystem().getUid()))
			.contains("dir=" + this.credentials)
			.contains("read-folder=" + this.credentials)
			.contains("problems=0")
			.contains("warnings=0")
			.contains("reloader-running=true")
			.contains("Loaded 2 secret file(s) from " + this.credentials + " ($CREDENTIALS_DIRECTORY set by systemd")
			.contains("crypto_key-sha256=" + sha256(SystemdCredentialsTests.KEY))
			.doesNotContain(SystemdCredentialsTests.KEY)
			.doesNotContain("Systemd-Db-Password-2b9e");
	}

	@Test
	void runWhenAnotherUserReadsTheCredentialsFailsNamingTheFolder() throws Exception {
		if (!ROOT) {
			// Not root: the files belong to us; chmod the folder shut to stand for another user.
			Files.setPosixFilePermissions(this.credentials, PosixFilePermissions.fromString("---------"));
		}
		Forked run = fork(SERVICE_UID - 1);
		assertThat(run.exitCode()).isNotZero();
		assertThat(run.output()).contains("cannot be").contains(this.credentials.toString())
			.doesNotContain(SystemdCredentialsTests.KEY);
	}

	private Forked fork(int uid) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		if (ROOT) {
			command.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
					"--inh-caps=-all", "--bounding-set=-all", "--"));
		}
		command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:-UsePerfData", "-Xmx256m", "-cp", copyClasspath(), SystemdCredentialsMain.class.getName(),
				"--secrets.required=crypto_key,db_password_server", "--secrets.reload.enabled=true",
				"--secrets.environment-check=fail", "--logging.level.root=TRACE"));
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.base.toFile());
		builder.environment().keySet().removeIf((name) -> name.startsWith("SECRETS_") || name.endsWith("_FILE"));
		builder.environment().put("CREDENTIALS_DIRECTORY", this.credentials.toString());
		builder.environment().put("HOME", this.base.toString());
		builder.redirectErrorStream(true);
		Process process = builder.start();
		byte[] output = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
		return new Forked(process.exitValue(), new String(output, StandardCharsets.UTF_8));
	}

	/**
	 * A copy of the classpath the service's user can read (the Maven repository under /root
	 * is closed to it).
	 */
	private String copyClasspath() throws IOException {
		List<String> entries = new ArrayList<>();
		int index = 0;
		for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
			Path source = Path.of(entry);
			Path target = this.classpath.resolve((index++) + "-" + source.getFileName());
			if (Files.isDirectory(source)) {
				copyTree(source, target);
			}
			else if (NEEDED.matcher(entry).find()) {
				Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
			}
			else {
				continue;
			}
			entries.add(target.toString());
		}
		try (Stream<Path> all = Files.walk(this.classpath)) {
			for (Path path : all.toList()) {
				Files.setPosixFilePermissions(path,
						PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
			}
		}
		return String.join(java.io.File.pathSeparator, entries);
	}

	private static void copyTree(Path source, Path target) throws IOException {
		try (Stream<Path> tree = Files.walk(source)) {
			for (Path path : tree.toList()) {
				Files.copy(path, target.resolve(source.relativize(path).toString()), StandardCopyOption.REPLACE_EXISTING);
			}
		}
	}

	private static String sha256(String value) throws Exception {
		return HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
	}

	private record Forked(int exitCode, String output) {

	}

}
