package dev.mountedsecrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * One look at a file gives every check what it needs: kind, size, identity, mode, owner and
 * link count, each as the JDK's own views report it.
 */
class FileFactsTests {

	@TempDir
	Path dir;

	@Test
	void ofRegularFileTellsWhatTheJdkViewsTell() throws IOException {
		Path file = SecretFiles.write(this.dir, "crypto_key", "Facts-Value-1234");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
		FileFacts facts = FileFacts.of(file, LinkOption.NOFOLLOW_LINKS);
		BasicFileAttributes basic = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		assertThat(facts.regularFile()).isTrue();
		assertThat(facts.directory()).isFalse();
		assertThat(facts.symbolicLink()).isFalse();
		assertThat(facts.size()).isEqualTo(basic.size()).isEqualTo(Files.size(file));
		assertThat(facts.fileKey()).isNotNull().isEqualTo(basic.fileKey());
		assertThat(facts.uid()).isEqualTo(OwnerCheck.uidOf(file)).isEqualTo(OwnerCheck.processUid());
		assertThat(facts.links()).isEqualTo(1);
		assertThat(facts.permissions()).isEqualTo(Files.getPosixFilePermissions(file));
		assertThat(facts.writableByOthers()).isFalse();
		assertThat(facts.sticky()).isFalse();
	}

	@Test
	void ofFileWritableByOthersSaysSo() throws IOException {
		Path file = SecretFiles.write(this.dir, "crypto_key", "Facts-Value-5678");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
		FileFacts facts = FileFacts.of(file);
		assertThat(facts.writableByOthers()).isTrue();
		assertThat(PosixFilePermissions.toString(facts.permissions())).isEqualTo("rw-rw-rw-");
	}

	@Test
	void ofEveryPermissionBitMapsToItsPermission() throws IOException {
		Path file = SecretFiles.write(this.dir, "crypto_key", "Facts-Value-90ab");
		for (String mode : new String[] { "r--------", "-w-------", "--x------", "---r-----", "----w----",
				"-----x---", "------r--", "-------w-", "--------x", "rwxrwxrwx", "---------" }) {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
			assertThat(PosixFilePermissions.toString(FileFacts.of(file).permissions())).isEqualTo(mode);
			assertThat(FileFacts.of(file).writableByOthers()).isEqualTo(mode.charAt(7) == 'w');
		}
	}

	@Test
	void ofFolderWithStickyBitSaysSo() throws IOException {
		Path folder = Files.createDirectory(this.dir.resolve("shared"));
		Files.setAttribute(folder, "unix:mode", 01777);
		FileFacts facts = FileFacts.of(folder);
		assertThat(facts.directory()).isTrue();
		assertThat(facts.regularFile()).isFalse();
		assertThat(facts.sticky()).isTrue();
		assertThat(facts.writableByOthers()).isTrue();
		Files.setAttribute(folder, "unix:mode", 0777);
		assertThat(FileFacts.of(folder).sticky()).isFalse();
	}

	@Test
	void ofLinkWithoutFollowingIsTheLinkAndFollowingIsItsTarget() throws IOException {
		Path file = SecretFiles.write(this.dir, "crypto_key", "Facts-Value-cdef");
		Path link = Files.createSymbolicLink(this.dir.resolve("crypto_key_link"), file);
		FileFacts itself = FileFacts.of(link, LinkOption.NOFOLLOW_LINKS);
		FileFacts target = FileFacts.of(link);
		assertThat(itself.symbolicLink()).isTrue();
		assertThat(itself.regularFile()).isFalse();
		assertThat(target.symbolicLink()).isFalse();
		assertThat(target.regularFile()).isTrue();
		assertThat(target.fileKey()).isEqualTo(FileFacts.of(file).fileKey()).isNotEqualTo(itself.fileKey());
	}

	@Test
	void ofFileWithHardLinkCountsItsNames() throws IOException {
		Path file = SecretFiles.write(this.dir, "crypto_key", "Facts-Value-1357");
		Files.createLink(this.dir.resolve("second_name"), file);
		assertThat(FileFacts.of(file).links()).isEqualTo(2);
	}

	@Test
	void ofMissingFileThrows() {
		assertThatIOException().isThrownBy(() -> FileFacts.of(this.dir.resolve("missing")));
	}

	@Test
	void ofBasicAttributesKnowsNoModeOwnerOrLinks() throws IOException {
		Path file = SecretFiles.write(this.dir, "crypto_key", "Facts-Value-2468");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
		FileFacts facts = FileFacts.of(Files.readAttributes(file, BasicFileAttributes.class));
		assertThat(facts.regularFile()).isTrue();
		assertThat(facts.mode()).isNull();
		assertThat(facts.uid()).isNull();
		assertThat(facts.links()).isEqualTo(1);
		assertThat(facts.writableByOthers()).isFalse();
		assertThat(facts.sticky()).isFalse();
		assertThat(facts.permissions()).isEmpty();
	}

	@Test
	void sameEntryAsWhenFileReplacedIsFalse() throws IOException {
		Path file = SecretFiles.write(this.dir, "crypto_key", "Facts-Value-3579");
		FileFacts before = FileFacts.of(file, LinkOption.NOFOLLOW_LINKS);
		assertThat(before.sameEntryAs(FileFacts.of(file, LinkOption.NOFOLLOW_LINKS))).isTrue();
		Path other = SecretFiles.write(this.dir, "other", "Facts-Value-4680");
		Files.move(other, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		assertThat(before.sameEntryAs(FileFacts.of(file, LinkOption.NOFOLLOW_LINKS))).isFalse();
	}

}
