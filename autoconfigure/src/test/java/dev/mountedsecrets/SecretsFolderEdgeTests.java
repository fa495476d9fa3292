package dev.mountedsecrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The folder's rules at their edges, each broken alone: the deepest sub-folder read and the
 * first one left out with a warning, a link outside the folder with and without
 * {@code secrets.allow-external-links}, and a folder (not a file) that others may write to.
 */
class SecretsFolderEdgeTests {

	@TempDir
	Path dir;

	@Test
	void readWhenSubfoldersEightDeepReadsTheFileAndWarnsAboutTheNinth() throws IOException {
		Path folder = this.dir;
		for (int depth = 1; depth <= 9; depth++) {
			folder = Files.createDirectory(folder.resolve("d" + depth));
			Files.writeString(folder.resolve("leaf"), "Value-" + depth);
		}
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, options(true, CheckMode.FAIL, false)).read();
		assertThat(snapshot.get("d1.d2.d3.d4.d5.d6.d7.d8.leaf")).isNotNull();
		assertThat(snapshot.get("d1.d2.d3.d4.d5.d6.d7.d8.d9.leaf")).isNull();
		assertThat(snapshot.secrets()).hasSize(8);
		assertThat(snapshot.problems()).isEmpty();
		assertThat(snapshot.warnings()).singleElement().satisfies((warning) -> {
			assertThat(warning.name()).isEqualTo("d1.d2.d3.d4.d5.d6.d7.d8.d9");
			assertThat(warning.rule()).startsWith("is more than 8 folders below secrets.dir");
		});
	}

	@Test
	void readWhenLinkLeadsOutsideRefusesItUnlessAllowed() throws IOException {
		Path outside = Files.createTempDirectory("folder-edge-outside");
		Files.writeString(outside.resolve("target"), "Outside-Value-1");
		Files.createSymbolicLink(this.dir.resolve("redis_password"), outside.resolve("target"));
		SecretsSnapshot refused = new SecretsFolder(this.dir, options(false, CheckMode.FAIL, false)).read();
		assertThat(refused.secrets()).isEmpty();
		assertThat(refused.problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.name()).isEqualTo("redis_password"));
		SecretsSnapshot allowed = new SecretsFolder(this.dir, options(false, CheckMode.FAIL, true)).read();
		assertThat(allowed.problems()).isEmpty();
		assertThat(allowed.get("redis_password").value()).isEqualTo("Outside-Value-1");
	}

	@Test
	void readWhenSubfolderWritableByOthersRefusesItsFilesOrWarns() throws IOException {
		Path sub = Files.createDirectory(this.dir.resolve("db"));
		Files.writeString(sub.resolve("password"), "Sub-Value-1");
		Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxrwxrwx"));
		SecretsSnapshot refused = new SecretsFolder(this.dir, options(true, CheckMode.FAIL, false)).read();
		assertThat(refused.secrets()).isEmpty();
		assertThat(refused.problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.file()).isEqualTo(sub.toString()));
		SecretsSnapshot warned = new SecretsFolder(this.dir, options(true, CheckMode.WARN, false)).read();
		assertThat(warned.get("db.password").value()).isEqualTo("Sub-Value-1");
		assertThat(warned.problems()).isEmpty();
		assertThat(warned.warnings()).singleElement()
			.satisfies((problem) -> assertThat(problem.file()).isEqualTo(sub.toString()));
		SecretsSnapshot unchecked = new SecretsFolder(this.dir, options(true, CheckMode.OFF, false)).read();
		assertThat(unchecked.get("db.password").value()).isEqualTo("Sub-Value-1");
		assertThat(unchecked.warnings()).isEmpty();
	}

	private static ReadOptions options(boolean includeSubfolders, CheckMode permissions, boolean externalLinks) {
		return new ReadOptions(DataSize.ofKilobytes(64), includeSubfolders, permissions, externalLinks);
	}

}
