package dev.mountedsecrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The owner rule: root, the application's user and {@code secrets.trusted-owners} may own
 * secret files and their folders; any other owner is warned about (default), refused
 * ({@code secrets.owner-check=fail}) or ignored ({@code off}). The rule on its own, then on
 * real files given away with {@code chown} (which needs root: those tests are skipped
 * otherwise). {@code UnprivilegedReadIT} runs it as a real non-root user.
 */
class OwnerCheckTests {

	private static final long APP = 1000;

	private static final long OTHER = 4242;

	private static final String VALUE = "Owner-Value-5c1e9a07";

	@TempDir
	Path dir;

	@Test
	void ruleWhenOwnerIsRootOrTheApplicationsUserAcceptsIt() {
		OwnerCheck check = new OwnerCheck(CheckMode.FAIL, Set.of(), APP);
		assertThat(check.rule(0L)).isNull();
		assertThat(check.rule(APP)).isNull();
	}

	@Test
	void ruleWhenOwnerIsAnotherUserNamesItsUidAndTheApplicationsUid() {
		OwnerCheck check = new OwnerCheck(CheckMode.WARN, Set.of(), APP);
		assertThat(check.rule(OTHER)).isEqualTo("is owned by uid 4242, neither root nor the application's user"
				+ " (uid 1000) nor in secrets.trusted-owners: that user can change it");
	}

	@Test
	void ruleWhenOwnerIsTrustedAcceptsIt() {
		OwnerCheck check = new OwnerCheck(CheckMode.FAIL, Set.of(OTHER), APP);
		assertThat(check.rule(OTHER)).isNull();
		assertThat(check.rule(OTHER + 1)).isNotNull();
	}

	@Test
	void ruleWhenCheckOffOrOwnersUnknownAcceptsAnything() {
		assertThat(new OwnerCheck(CheckMode.OFF, Set.of(), APP).rule(OTHER)).isNull();
		assertThat(new OwnerCheck(CheckMode.FAIL, Set.of(), null).rule(OTHER)).isNull();
		assertThat(new OwnerCheck(CheckMode.FAIL, Set.of(), APP).rule(null)).isNull();
	}

	@Test
	void processUidIsTheOwnerOfTheFilesItCreates() throws IOException {
		Path file = Files.writeString(this.dir.resolve("mine"), "x");
		assertThat(OwnerCheck.processUid()).isNotNull().isEqualTo(OwnerCheck.uidOf(file));
	}

	@Test
	void uidsWhenUserIdsParsesThem() {
		assertThat(SettingRanges.uids(List.of("0", " 1000", "4294967294"))).containsExactly(0L, 1000L, 4294967294L);
	}

	@Test
	void uidsWhenNotAUserIdRefusesNamingTheRange() {
		for (String bad : List.of("-1", "4294967295", "root", "", "1e3", "99999999999")) {
			assertThatIllegalArgumentException().as(bad)
				.isThrownBy(() -> SettingRanges.uids(List.of(bad)))
				.withMessage("secrets.trusted-owners must list user ids (numbers from 0 to 4294967294); '" + bad
						+ "' is not one");
		}
	}

	@Test
	void readWhenSwarmLayoutAcceptsItSilently() throws IOException {
		Path file = SecretFiles.write(this.dir, "db_password_server", VALUE);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
		Files.setPosixFilePermissions(this.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, options(CheckMode.FAIL, Set.of())).read();
		assertThat(snapshot.problems()).isEmpty();
		assertThat(snapshot.warnings()).isEmpty();
		assertThat(snapshot.get("db_password_server").value()).isEqualTo(VALUE);
	}

	@Test
	void readWhenFileOwnedByAnotherUserWarnsNamingFileUidAndFix() throws IOException {
		Path file = fileOwnedByOther("redis_password");
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, ReadOptions.defaults()).read();
		assertThat(snapshot.problems()).isEmpty();
		assertThat(snapshot.get("redis_password").value()).isEqualTo(VALUE);
		assertThat(snapshot.warnings()).singleElement().satisfies((warning) -> {
			assertThat(warning.file()).isEqualTo(file.toString());
			assertThat(warning.name()).isEqualTo("redis_password");
			assertThat(warning.rule()).startsWith("is owned by uid 4242, neither root nor the application's user")
				.doesNotContain(VALUE);
			assertThat(warning.action()).startsWith("Run 'chown root " + file + "'")
				.contains("add it to secrets.trusted-owners");
		});
	}

	@Test
	void readWhenFileOwnedByAnotherUserAndCheckFailsRefusesIt() throws IOException {
		Path file = fileOwnedByOther("redis_password");
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, options(CheckMode.FAIL, Set.of())).read();
		assertThat(snapshot.warnings()).isEmpty();
		assertThat(snapshot.problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.describe()).startsWith(file + ": is owned by uid 4242"));
	}

	@Test
	void readWhenFileOwnerTrustedOrCheckOffAcceptsItSilently() throws IOException {
		fileOwnedByOther("redis_password");
		for (ReadOptions options : List.of(options(CheckMode.FAIL, Set.of(OTHER)), options(CheckMode.OFF, Set.of()))) {
			SecretsSnapshot snapshot = new SecretsFolder(this.dir, options).read();
			assertThat(snapshot.problems()).isEmpty();
			assertThat(snapshot.warnings()).isEmpty();
			assertThat(snapshot.get("redis_password").value()).isEqualTo(VALUE);
		}
	}

	@Test
	void readWhenLinkTargetOwnedByAnotherUserJudgesTheTargetNotTheLink() throws IOException {
		Path data = Files.createDirectory(this.dir.resolve("..2026_01"));
		Path target = fileOwnedByOther(data, "redis_password");
		Files.createSymbolicLink(this.dir.resolve("redis_password"), data.getFileName().resolve("redis_password"));
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, options(CheckMode.FAIL, Set.of())).read();
		assertThat(snapshot.problems()).singleElement().satisfies((problem) -> {
			assertThat(problem.file()).isEqualTo(this.dir.resolve("redis_password").toString());
			assertThat(problem.rule()).startsWith("is owned by uid 4242");
			assertThat(problem.action()).startsWith("Run 'chown root " + target.toRealPath() + "'");
		});
	}

	@Test
	void readWhenFolderOwnedByAnotherUserWarnsAboutTheFolder() throws IOException {
		SecretFiles.write(this.dir, "db_password_server", VALUE);
		chown(this.dir, OTHER);
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, ReadOptions.defaults()).read();
		assertThat(snapshot.get("db_password_server").value()).isEqualTo(VALUE);
		assertThat(snapshot.warnings()).singleElement().satisfies((warning) -> {
			assertThat(warning.file()).isEqualTo(this.dir.toRealPath().toString());
			assertThat(warning.name()).isEmpty();
			assertThat(warning.rule()).startsWith("is owned by uid 4242");
		});
	}

	@Test
	void readWhenParentOfTheFolderOwnedByAnotherUserWarnsAboutTheParent() throws IOException {
		Path secrets = Files.createDirectory(this.dir.resolve("secrets"));
		SecretFiles.write(secrets, "db_password_server", VALUE);
		chown(this.dir, OTHER);
		SecretsSnapshot snapshot = new SecretsFolder(secrets, options(CheckMode.FAIL, Set.of())).read();
		assertThat(snapshot.problems()).singleElement().satisfies((problem) -> {
			assertThat(problem.describe()).startsWith(this.dir.toRealPath() + ": is owned by uid 4242")
				.endsWith(": that user can replace secrets.dir below it");
			assertThat(problem.action()).startsWith("Set secrets.dir to a folder whose parents belong to root")
				.contains("add it to secrets.trusted-owners");
		});
	}

	@Test
	void readWhenAFolderAboveIsReachedThroughALinkJudgesTheFoldersOfTheRealPath() throws IOException {
		Path real = Files.createDirectory(this.dir.resolve("real"));
		Path secrets = Files.createDirectory(real.resolve("secrets"));
		SecretFiles.write(secrets, "db_password_server", VALUE);
		Path link = Files.createSymbolicLink(this.dir.resolve("link"), real.getFileName());
		chown(real, OTHER);
		Files.setAttribute(link, "unix:uid", (int) OTHER + 1, LinkOption.NOFOLLOW_LINKS);
		for (Path shown : List.of(link.resolve("secrets"), real.resolve("..").resolve("link").resolve("secrets"))) {
			SecretsSnapshot snapshot = new SecretsFolder(shown, options(CheckMode.FAIL, Set.of())).read();
			assertThat(snapshot.problems()).singleElement()
				.satisfies((problem) -> assertThat(problem.describe())
					.startsWith(real.toRealPath() + ": is owned by uid 4242")
					.endsWith(": that user can replace secrets.dir below it"));
		}
	}

	@Test
	void readWhenSecretsDirIsALinkJudgesTheFoldersAboveItsTarget() throws IOException {
		Path real = Files.createDirectory(this.dir.resolve("real"));
		Path secrets = Files.createDirectory(real.resolve("secrets"));
		SecretFiles.write(secrets, "db_password_server", VALUE);
		Path link = Files.createSymbolicLink(this.dir.resolve("secrets"), Path.of("real", "secrets"));
		chown(real, OTHER);
		SecretsSnapshot snapshot = new SecretsFolder(link, options(CheckMode.WARN, Set.of())).read();
		assertThat(snapshot.problems()).isEmpty();
		assertThat(snapshot.warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning.describe()).startsWith(real.toRealPath() + ": is owned by uid 4242"));
		assertThat(snapshot.secrets()).containsOnlyKeys("db_password_server");
	}

	@Test
	void readWhenSubfolderOwnedByAnotherUserRefusesItsFilesUnderFail() throws IOException {
		Path sub = Files.createDirectory(this.dir.resolve("db"));
		SecretFiles.write(sub, "password", VALUE);
		chown(sub, OTHER);
		ReadOptions options = new ReadOptions(DataSize.ofKilobytes(64), true, CheckMode.FAIL, false,
				Duration.ofSeconds(5), CheckMode.FAIL, Set.of());
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, options).read();
		assertThat(snapshot.problems()).singleElement().satisfies((problem) -> {
			assertThat(problem.file()).isEqualTo(sub.toString());
			assertThat(problem.rule()).startsWith("is owned by uid 4242");
		});
		assertThat(snapshot.secrets()).isEmpty();
	}

	@Test
	void readFileVariableWhenFileOrItsFolderOwnedByAnotherUserWarns() throws IOException {
		Path folder = Files.createDirectory(this.dir.resolve("shared"));
		Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path file = fileOwnedByOther(folder, "db_password");
		chown(folder, OTHER + 1);
		FileVariables variables = FileVariables.read(Map.of("SPRING_DATASOURCE_PASSWORD_FILE", file.toString()),
				List.of(), ReadOptions.defaults(),
				SecretRules.from(new SecretsProperties(), SecretMappings.withOverrides(Map.of())));
		assertThat(variables.problems()).isEmpty();
		assertThat(variables.secrets().get("SPRING_DATASOURCE_PASSWORD").value()).isEqualTo(VALUE);
		assertThat(variables.warnings()).extracting(SecretProblem::rule)
			.containsExactly("is owned by uid 4242, neither root nor the application's user (uid "
					+ OwnerCheck.processUid() + ") nor in secrets.trusted-owners: that user can change it",
					"is in " + folder + ", which is owned by uid 4243, neither root nor the application's user (uid "
							+ OwnerCheck.processUid() + ") nor in secrets.trusted-owners: that user can change it");
	}

	private Path fileOwnedByOther(String name) throws IOException {
		return fileOwnedByOther(this.dir, name);
	}

	private Path fileOwnedByOther(Path folder, String name) throws IOException {
		Path file = SecretFiles.write(folder, name, VALUE);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
		chown(file, OTHER);
		return file;
	}

	/** Give a file away, as only root can: the test is skipped for anyone else. */
	private static void chown(Path path, long uid) throws IOException {
		assumeThat(OwnerCheck.processUid()).as("chown needs root").isEqualTo(0L);
		Files.setAttribute(path, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
	}

	private static ReadOptions options(CheckMode owners, Set<Long> trusted) {
		return new ReadOptions(DataSize.ofKilobytes(64), false, CheckMode.FAIL, false, Duration.ofSeconds(5), owners,
				trusted);
	}

}
