package dev.mountedsecrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsFolderTests {

	@TempDir
	Path dir;

	@Test
	void readWhenFolderMissingReportsNotFound() {
		SecretsSnapshot snapshot = new SecretsFolder(this.dir.resolve("nope"), ReadOptions.defaults()).read();
		assertThat(snapshot.found()).isFalse();
		assertThat(snapshot.secrets()).isEmpty();
		assertThat(snapshot.problems()).isEmpty();
	}

	@Test
	void readWhenDotFilesSkipsThem() throws IOException {
		Files.writeString(this.dir.resolve(".hidden"), "x");
		Files.writeString(this.dir.resolve("redis_password"), "pw\n");
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, ReadOptions.defaults()).read();
		assertThat(snapshot.secrets()).containsOnlyKeys("redis_password");
	}

	@Test
	void readWhenKubernetesLayoutReadsKeysThroughLinks() throws IOException {
		KubernetesSecretVolume volume = new KubernetesSecretVolume(this.dir);
		volume.write("redis_password", "first\n", "email_password", "mail-pw");
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, ReadOptions.defaults()).read();
		assertThat(snapshot.secrets()).containsOnlyKeys("email_password", "redis_password");
		assertThat(snapshot.get("redis_password").value()).isEqualTo("first");
		assertThat(snapshot.problems()).isEmpty();
	}

	@Test
	void readWhenSubfolderSkipsItByDefault() throws IOException {
		Files.createDirectories(this.dir.resolve("kubernetes.io/serviceaccount"));
		Files.writeString(this.dir.resolve("kubernetes.io/serviceaccount/token"), "t");
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, ReadOptions.defaults()).read();
		assertThat(snapshot.secrets()).isEmpty();
		assertThat(snapshot.problems()).isEmpty();
	}

	@Test
	void readWhenSubfoldersIncludedNamesThemWithDots() throws IOException {
		Files.createDirectories(this.dir.resolve("db/admin"));
		Files.writeString(this.dir.resolve("db/admin/password"), "pw");
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, withSubfolders()).read();
		assertThat(snapshot.secrets()).containsOnlyKeys("db.admin.password");
	}

	@Test
	void readWhenDirIsFileReportsIt() throws IOException {
		Path file = Files.writeString(this.dir.resolve("file"), "x");
		SecretsSnapshot snapshot = new SecretsFolder(file, ReadOptions.defaults()).read();
		assertThat(snapshot.problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.rule()).contains("secrets.dir is a file"));
	}

	@Test
	void readWhenOneFileBadKeepsOthersAndReportsIt() throws IOException {
		Files.writeString(this.dir.resolve("good"), "ok");
		Files.write(this.dir.resolve("bad"), new byte[] { (byte) 0xFF });
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, ReadOptions.defaults()).read();
		assertThat(snapshot.secrets()).containsOnlyKeys("good");
		assertThat(snapshot.problems()).singleElement().satisfies((problem) -> {
			assertThat(problem.name()).isEqualTo("bad");
			assertThat(problem.file()).isEqualTo(this.dir.resolve("bad").toString());
		});
	}

	@Test
	@MustNotHang
	void readWhenLinksLoopReadsEachFolderOnceAndReportsTheLinks() throws IOException {
		Files.writeString(this.dir.resolve("redis_password"), "Loop-Pw-1");
		for (int i = 1; i <= 6; i++) {
			Files.createSymbolicLink(this.dir.resolve("l" + i), Path.of("."));
		}
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, withSubfolders()).read();
		assertThat(snapshot.secrets()).containsOnlyKeys("redis_password");
		assertThat(snapshot.problems()).extracting(SecretProblem::name)
			.containsExactly("l1", "l2", "l3", "l4", "l5", "l6");
		assertThat(snapshot.problems()).allSatisfy((problem) -> assertThat(problem.rule())
			.isEqualTo("leads to a folder already read as " + this.dir
					+ " (a link loop, or a second link to that folder)"));
	}

	@Test
	@MustNotHang
	void readWhenLinkLeadsBackToAnAncestorReportsTheLoop() throws IOException {
		Path inner = Files.createDirectories(this.dir.resolve("a/b"));
		Files.writeString(inner.resolve("key"), "Ancestor-1");
		Files.createSymbolicLink(inner.resolve("up"), Path.of("../.."));
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, withSubfolders()).read();
		assertThat(snapshot.secrets()).containsOnlyKeys("a.b.key");
		assertThat(snapshot.problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.describe()).isEqualTo(inner.resolve("up")
					+ ": leads to a folder already read as " + this.dir + " (a link loop, or a second link to that folder)"));
	}

	@Test
	void readWhenNamesCollideKeepsNeitherAndNamesBoth() throws IOException {
		Files.createDirectory(this.dir.resolve("db"));
		Files.writeString(this.dir.resolve("db/password"), "Collide-1");
		Files.writeString(this.dir.resolve("db.password"), "Collide-2");
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, withSubfolders()).read();
		assertThat(snapshot.secrets()).doesNotContainKey("db.password");
		assertThat(snapshot.problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.describe()).isEqualTo(this.dir.resolve("db.password")
					+ ": has the same secret name (db.password) as " + this.dir.resolve("db/password")));
	}

	@Test
	void readWhenKubernetesFileHasHardLinksDoesNotWarn() throws IOException {
		KubernetesSecretVolume volume = new KubernetesSecretVolume(this.dir);
		volume.write("redis_password", "Kube-Hard-1");
		Path real = this.dir.resolve("..2026_11_28_20_00_00.1/redis_password");
		Files.createLink(this.dir.resolve("..2026_11_28_20_00_00.1/second"), real);
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, ReadOptions.defaults()).read();
		assertThat(snapshot.get("redis_password").value()).isEqualTo("Kube-Hard-1");
		assertThat(snapshot.warnings()).isEmpty();
	}

	private static ReadOptions withSubfolders() {
		ReadOptions defaults = ReadOptions.defaults();
		return new ReadOptions(defaults.maxFileSize(), true, defaults.permissionCheck(), false);
	}

	@Test
	void sameFileHintWhenTwoNamesAreOneFileNamesTheOtherAndSaysWhatToDo() throws IOException {
		// Docker Swarm mounts one secret used at two targets as one file (the same file key).
		Path key = Files.writeString(this.dir.resolve("token_secret_key"), "k");
		Path alias = Files.createLink(this.dir.resolve("nextauth_secret"), key);
		Path crypto = Files.writeString(this.dir.resolve("crypto_key"), "c");
		List<SecretFileReader.Request> requests = List.of(request(key), request(alias), request(crypto));
		assertThat(SecretsFolder.sameFileHint(requests.get(0), requests)).isEqualTo(" It is one file with " + alias
				+ " (Docker Swarm mounts a secret used at two targets as one file, with the uid, gid and mode of one"
				+ " of the two only): give every target of that secret the same uid, gid and mode.");
		assertThat(SecretsFolder.sameFileHint(requests.get(1), requests)).startsWith(" It is one file with " + key + " (");
		assertThat(SecretsFolder.sameFileHint(requests.get(2), requests)).isEmpty();
	}

	private static SecretFileReader.Request request(Path file) throws IOException {
		return new SecretFileReader.Request(file.getFileName().toString(), file, file,
				Files.readAttributes(file, BasicFileAttributes.class));
	}

}
