package dev.mountedsecrets;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The reader's checks taken one at a time: a link read through to its target, a value longer
 * than one read chunk kept whole, a byte-order mark before non-ASCII text, whether a path
 * still names the file that was checked (a file swapped for another, a link or a socket is
 * refused as replaced), the failure reason that never shows a path, and the folder of an
 * {@code X_FILE}: with a sticky bit (as {@code /tmp}) it is safe, and a folder that is gone
 * breaks no permission rule (the read says the file does not exist).
 */
class SecretFileReaderCheckTests {

	private static final String VALUE = "Reader-Check-Value-5d1f08";

	@TempDir
	Path dir;

	private final SecretFileReader reader = new SecretFileReader(DataSize.ofKilobytes(64));

	@Test
	void readWhenPathIsLinkReadsItsTargetUnderTheLinkName() throws Exception {
		Path target = SecretFiles.write(this.dir, "target", VALUE);
		Path link = Files.createSymbolicLink(this.dir.resolve("crypto_key"), target);
		SecretFile secret = this.reader.read("crypto_key", link);
		assertThat(secret.value()).isEqualTo(VALUE);
		assertThat(secret.path()).isEqualTo(link);
	}

	@Test
	void readWhenLongerThanOneReadChunkKeepsEveryByte() throws Exception {
		String chain = "-----BEGIN CERTIFICATE-----\n" + "MIIB".repeat(5000) + "\n-----END CERTIFICATE-----";
		assertThat(chain.length()).isGreaterThan(16384);
		Path file = SecretFiles.write(this.dir, "chain", chain);
		assertThat(this.reader.read("chain", file).value()).isEqualTo(chain);
	}

	@Test
	void readWhenByteOrderMarkBeforeNonAsciiTextDropsOnlyTheMark() throws Exception {
		String value = "Pässwörd-ünïcode-ß-42";
		Path file = this.dir.resolve("unicode");
		byte[] text = (value + "\n").getBytes(StandardCharsets.UTF_8);
		byte[] content = new byte[text.length + 3];
		content[0] = (byte) 0xEF;
		content[1] = (byte) 0xBB;
		content[2] = (byte) 0xBF;
		System.arraycopy(text, 0, content, 3, text.length);
		Files.write(file, content);
		assertThat(this.reader.read("unicode", file).value()).isEqualTo(value);
	}

	@Test
	void sameEntryWhenPathStillNamesTheCheckedFileIsTrue() throws IOException {
		Path file = SecretFiles.write(this.dir, "crypto_key", VALUE);
		assertThat(SecretFileReader.sameEntry(file, lstat(file))).isTrue();
	}

	@Test
	void sameEntryWhenFileReplacedByAnotherFileIsFalse() throws IOException {
		Path file = SecretFiles.write(this.dir, "crypto_key", VALUE);
		FileFacts checked = lstat(file);
		Path other = SecretFiles.write(this.dir, "other", VALUE);
		Files.move(other, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		assertThat(SecretFileReader.sameEntry(file, checked)).isFalse();
	}

	@Test
	void sameEntryWhenFileReplacedByLinkToItIsFalse() throws IOException {
		Path file = SecretFiles.write(this.dir, "crypto_key", VALUE);
		FileFacts checked = lstat(file);
		Path moved = Files.move(file, this.dir.resolve("moved"));
		Files.createSymbolicLink(file, moved);
		assertThat(SecretFileReader.sameEntry(file, checked)).isFalse();
	}

	@Test
	void sameEntryWhenFolderReplacedByFileIsFalse() throws IOException {
		Path entry = Files.createDirectory(this.dir.resolve("db"));
		FileFacts checked = lstat(entry);
		Files.delete(entry);
		SecretFiles.write(this.dir, "db", VALUE);
		assertThat(SecretFileReader.sameEntry(entry, checked)).isFalse();
	}

	@Test
	void sameEntryWhenFileRemovedIsFalse() throws IOException {
		Path file = SecretFiles.write(this.dir, "crypto_key", VALUE);
		FileFacts checked = lstat(file);
		Files.delete(file);
		assertThat(SecretFileReader.sameEntry(file, checked)).isFalse();
	}

	@Test
	void reasonWhenAccessDeniedSaysPermissionDeniedAndOtherwiseOnlyTheKindOfFailure() {
		String path = this.dir.resolve(VALUE).toString();
		assertThat(SecretFileReader.reason(new AccessDeniedException(path))).isEqualTo("permission denied");
		assertThat(SecretFileReader.reason(new FileSystemException(path, null, VALUE)))
			.isEqualTo("FileSystemException");
	}

	@Test
	void readWhenCheckedFileSwappedForSocketRefusesItAsReplaced() throws Exception {
		Path file = SecretFiles.write(this.dir, "crypto_key", VALUE);
		FileFacts checked = lstat(file);
		Files.delete(file);
		// Opening a socket fails (ENXIO), which is not "permission denied": the path no longer
		// holds the file that was checked, so the file was replaced.
		try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			socket.bind(UnixDomainSocketAddress.of(file));
			assertThatExceptionOfType(UnusableSecretFileException.class)
				.isThrownBy(() -> this.reader.read("crypto_key", file, file, checked))
				.withMessage("was replaced while it was being read (by a link or another file)");
		}
	}

	@Test
	void folderWritableByOthersWhenFolderGoneReportsNoRule() throws IOException {
		Path gone = Files.createDirectory(this.dir.resolve("gone"));
		Files.delete(gone);
		// The read of a file in it then says what is wrong: it does not exist.
		assertThat(SecretFileReader.writableByOthers(gone)).isNull();
		assertThat(SecretFileReader.folderWritableByOthers(gone)).isNull();
	}

	@Test
	void readFileVariablesWhenFolderWritableByOthersHasStickyBitServesTheFile() throws IOException {
		Path folder = Files.createDirectory(this.dir.resolve("shared"));
		Path file = SecretFiles.write(folder, "db_password", VALUE);
		Files.setAttribute(folder, "unix:mode", 01777);
		FileVariables variables = FileVariables.read(Map.of("SPRING_DATASOURCE_PASSWORD_FILE", file.toString()),
				List.of(), ReadOptions.defaults(),
				SecretRules.from(new SecretsProperties(), SecretMappings.withOverrides(Map.of())));
		assertThat(variables.problems()).isEmpty();
		assertThat(variables.secrets().get("SPRING_DATASOURCE_PASSWORD").value()).isEqualTo(VALUE);
		assertThat(variables.toString()).contains("SPRING_DATASOURCE_PASSWORD").doesNotContain(VALUE);
	}

	private static FileFacts lstat(Path path) throws IOException {
		return FileFacts.of(Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
	}

}
