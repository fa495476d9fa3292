package dev.mountedsecrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The folders a link leads through, each rule broken alone: a folder inside secrets.dir that
 * others may write to (directly, or further up than the target's own folder), the folder of
 * an allowed external target without and with a sticky bit (as on {@code /tmp}); and the two
 * rules about a file's other names: a hard link outside a Kubernetes layout is warned about,
 * and a file that shares its secret name with a refused file does not take its place.
 */
class SecretsFolderLinkTests {

	private static final String VALUE = "Link-Folder-Value-7c2e91";

	@TempDir
	Path dir;

	@TempDir
	Path outside;

	@Test
	void readWhenLinkLeadsIntoFolderWritableByOthersRefusesItNamingTheFolder() throws IOException {
		Path data = Files.createDirectory(this.dir.resolve("data"));
		SecretFiles.write(data, "key", VALUE);
		Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
		Path link = Files.createSymbolicLink(this.dir.resolve("redis_password"), Path.of("data", "key"));
		SecretsSnapshot snapshot = read(false, false);
		assertThat(snapshot.get("redis_password")).isNull();
		assertThat(snapshot.problems()).singleElement().satisfies((problem) -> {
			assertThat(problem.file()).isEqualTo(link.toString());
			assertThat(problem.name()).isEqualTo("redis_password");
			assertThat(problem.rule()).isEqualTo("links into " + data.toRealPath()
					+ ", which is writable by other users (mode rwxrwxrwx)");
			assertThat(problem.action()).isEqualTo("Run 'chmod o-w " + data.toRealPath()
					+ "', or set secrets.permission-check=warn.");
			assertThat(problem.toString()).doesNotContain(VALUE);
		});
	}

	@Test
	void readWhenLinkLeadsThroughFolderWritableByOthersHigherUpRefusesIt() throws IOException {
		Path data = Files.createDirectory(this.dir.resolve("data"));
		Path inner = Files.createDirectory(data.resolve("inner"));
		SecretFiles.write(inner, "key", VALUE);
		Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
		Files.createSymbolicLink(this.dir.resolve("redis_password"), Path.of("data", "inner", "key"));
		SecretsSnapshot snapshot = read(false, false);
		assertThat(snapshot.get("redis_password")).isNull();
		assertThat(snapshot.problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.rule()).startsWith("links into " + data.toRealPath() + ", which"));
	}

	@Test
	void readWhenLinkLeadsIntoFoldersWritableOnlyByOwnerServesIt() throws IOException {
		Path inner = Files.createDirectories(this.dir.resolve("data").resolve("inner"));
		SecretFiles.write(inner, "key", VALUE);
		Files.createSymbolicLink(this.dir.resolve("redis_password"), Path.of("data", "inner", "key"));
		SecretsSnapshot snapshot = read(false, false);
		assertThat(snapshot.problems()).isEmpty();
		assertThat(snapshot.get("redis_password").value()).isEqualTo(VALUE);
	}

	@Test
	void readWhenAllowedExternalLinkLeadsIntoFolderWritableByOthersRefusesIt() throws IOException {
		SecretsSnapshot snapshot = readExternalLinkIntoFolderWithMode(0777);
		assertThat(snapshot.get("redis_password")).isNull();
		assertThat(snapshot.problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.rule())
				.isEqualTo("links into " + this.outside.resolve("shared").toRealPath()
						+ ", which is writable by other users (mode rwxrwxrwx)"));
	}

	@Test
	void readWhenAllowedExternalLinkLeadsIntoStickyFolderServesIt() throws IOException {
		SecretsSnapshot snapshot = readExternalLinkIntoFolderWithMode(01777);
		assertThat(snapshot.problems()).isEmpty();
		assertThat(snapshot.get("redis_password").value()).isEqualTo(VALUE);
	}

	@Test
	void readWhenFileHasAnotherHardLinkWarnsAndServesIt() throws IOException {
		Path file = SecretFiles.write(this.dir, "redis_password", VALUE);
		Files.createLink(this.outside.resolve("copy"), file);
		SecretsSnapshot snapshot = read(false, false);
		assertThat(snapshot.get("redis_password").value()).isEqualTo(VALUE);
		assertThat(snapshot.problems()).isEmpty();
		assertThat(snapshot.warnings()).singleElement().satisfies((warning) -> {
			assertThat(warning.file()).isEqualTo(file.toString());
			assertThat(warning.rule()).startsWith("has 2 hard links");
		});
	}

	@Test
	void readWhenKubernetesKeyHasAnotherHardLinkServesItWithoutWarning() throws IOException {
		new KubernetesSecretVolume(this.dir).write("redis_password", VALUE);
		Path generation = this.dir.resolve("..data").toRealPath();
		Files.createLink(generation.resolve("copy"), generation.resolve("redis_password"));
		SecretsSnapshot snapshot = read(false, false);
		assertThat(snapshot.get("redis_password").value()).isEqualTo(VALUE);
		assertThat(snapshot.problems()).isEmpty();
		assertThat(snapshot.warnings()).isEmpty();
	}

	@Test
	void readWhenSecretsDirIsRelativeOrNotNormalizedServesTheLinksInsideIt() throws IOException {
		new KubernetesSecretVolume(this.dir).write("redis_password", VALUE);
		Path relative = Path.of("").toAbsolutePath().relativize(this.dir);
		Path notNormalized = this.dir.resolve("..").resolve(this.dir.getFileName());
		for (Path shown : List.of(relative, notNormalized)) {
			SecretsSnapshot snapshot = new SecretsFolder(shown, ReadOptions.defaults()).read();
			assertThat(snapshot.problems()).as(shown.toString()).isEmpty();
			assertThat(snapshot.get("redis_password").value()).isEqualTo(VALUE);
		}
	}

	@Test
	void readWhenFileSharesItsNameWithRefusedFileServesNeither() throws IOException {
		Path sub = Files.createDirectory(this.dir.resolve("db"));
		Path refused = SecretFiles.write(sub, "password", VALUE);
		Files.setPosixFilePermissions(refused, PosixFilePermissions.fromString("rw-rw-rw-"));
		Path other = SecretFiles.write(this.dir, "db.password", "Other-" + VALUE);
		SecretsSnapshot snapshot = read(true, false);
		assertThat(snapshot.get("db.password")).isNull();
		assertThat(snapshot.problems()).hasSize(2);
		assertThat(snapshot.problems().get(0).file()).isEqualTo(refused.toString());
		assertThat(snapshot.problems().get(1)).satisfies((problem) -> {
			assertThat(problem.file()).isEqualTo(other.toString());
			assertThat(problem.rule()).isEqualTo("has the same secret name (db.password) as " + refused);
		});
	}

	/** Link {@code redis_password} to a file outside, in a folder with the given mode. */
	private SecretsSnapshot readExternalLinkIntoFolderWithMode(int mode) throws IOException {
		Path shared = Files.createDirectory(this.outside.resolve("shared"));
		Path target = SecretFiles.write(shared, "key", VALUE);
		Files.setAttribute(shared, "unix:mode", mode);
		Files.createSymbolicLink(this.dir.resolve("redis_password"), target);
		return read(false, true);
	}

	private SecretsSnapshot read(boolean includeSubfolders, boolean externalLinks) {
		return new SecretsFolder(this.dir,
				new ReadOptions(DataSize.ofKilobytes(64), includeSubfolders, CheckMode.FAIL, externalLinks))
			.read();
	}

}
