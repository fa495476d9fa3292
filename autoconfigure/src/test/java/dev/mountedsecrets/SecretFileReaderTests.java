package dev.mountedsecrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

class SecretFileReaderTests {

	private final SecretFileReader reader = new SecretFileReader(DataSize.ofKilobytes(64));

	@TempDir
	Path dir;

	@Test
	void readWhenEchoNewlineRemovesIt() throws Exception {
		assertThat(read("pw\n")).isEqualTo("pw");
	}

	@Test
	void readWhenCrlfRemovesIt() throws Exception {
		assertThat(read("pw\r\n")).isEqualTo("pw");
	}

	@Test
	void readWhenSeveralNewlinesRemovesExactlyOne() throws Exception {
		assertThat(read("pw\n\n")).isEqualTo("pw\n");
	}

	@Test
	void readWhenOtherWhitespaceKeepsIt() throws Exception {
		assertThat(read("  pw \t\n")).isEqualTo("  pw \t");
	}

	@Test
	void readWhenByteOrderMarkDropsIt() throws Exception {
		assertThat(read("\uFEFFpw\n")).isEqualTo("pw");
	}

	@Test
	void readWhenOnlyNewlineGivesEmptyValue() throws Exception {
		assertThat(read("\n")).isEmpty();
	}

	@Test
	void readWhenPemKeepsEveryLine() throws Exception {
		String pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----";
		assertThat(read(pem + "\n")).isEqualTo(pem);
	}

	@Test
	void readWhenUnicodeKeepsIt() throws Exception {
		assertThat(read("pässwörd-🔑\n")).isEqualTo("pässwörd-🔑");
	}

	@Test
	void readWhenInvalidUtf8FailsWithoutShowingBytes() throws IOException {
		Path file = this.dir.resolve("bad");
		Files.write(file, new byte[] { 's', 'e', 'c', (byte) 0xC3, (byte) 0x28, 'r', 't' });
		assertThatExceptionOfType(UnusableSecretFileException.class).isThrownBy(() -> this.reader.read("bad", file))
			.withMessage("is not valid UTF-8")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("UTF-8"));
	}

	@Test
	void readWhenLargerThanLimitFails() throws IOException {
		Path file = this.dir.resolve("big");
		Files.writeString(file, "x".repeat(65 * 1024));
		assertThatExceptionOfType(UnusableSecretFileException.class).isThrownBy(() -> this.reader.read("big", file))
			.withMessageContaining("secrets.max-file-size");
	}

	@Test
	void readWhenFolderFails() throws IOException {
		Path folder = Files.createDirectory(this.dir.resolve("folder"));
		assertThatExceptionOfType(UnusableSecretFileException.class)
			.isThrownBy(() -> this.reader.read("folder", folder))
			.withMessageContaining("is a folder");
	}

	@Test
	void readWhenDanglingLinkFails() throws IOException {
		Path link = Files.createSymbolicLink(this.dir.resolve("link"), this.dir.resolve("gone"));
		assertThatExceptionOfType(UnusableSecretFileException.class).isThrownBy(() -> this.reader.read("link", link))
			.withMessageContaining("symbolic link whose target does not exist");
	}

	@Test
	void readWhenFileDeletedAfterListingFails() throws IOException {
		Path file = Files.writeString(this.dir.resolve("listed"), "x");
		Files.delete(file);
		assertThatExceptionOfType(UnusableSecretFileException.class).isThrownBy(() -> this.reader.read("listed", file))
			.withMessage("does not exist")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("mounted"));
	}

	@Test
	@MustNotHang
	void readWhenCheckedFileSwappedForFifoGivesUpAfterTimeoutAndReleasesTheReader() throws Exception {
		// Not released early: the give-up itself is under test (StuckFifoReadTests: the early release).
		SecretFileReader quick = new SecretFileReader(DataSize.ofKilobytes(64), Duration.ofMillis(300), false);
		Path file = Files.writeString(this.dir.resolve("swapped"), "Fifo-Swap-1");
		FileFacts checked = SecretFileReader.attributes(file, LinkOption.NOFOLLOW_LINKS);
		Files.delete(file);
		assertThat(new ProcessBuilder("mkfifo", file.toString()).start().waitFor()).isZero();
		assertThatExceptionOfType(UnusableSecretFileException.class)
			.isThrownBy(() -> quick.read("swapped", file, file, checked))
			.withMessageStartingWith("could not be read within secrets.read-timeout (300ms); the read was abandoned")
			.withMessageNotContaining("Fifo-Swap-1");
		// Released: the reader thread no longer sits in open() (a native call, RUNNABLE), and
		// the read is no longer counted as abandoned.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> SecretFileReader.abandonedReads() == 0 && Thread.getAllStackTraces()
				.keySet()
				.stream()
				.noneMatch((thread) -> thread.getName().equals("secrets-file-reader")
						&& thread.getState() == Thread.State.RUNNABLE));
	}

	@Test
	void readWhenCheckedFileSwappedForLinkRefusesIt() throws Exception {
		Path outside = Files.writeString(Files.createTempDirectory("outside").resolve("target"), "Outside-Swap-2");
		assertThat(readAfterCheck("Inside-Swap-2", (file) -> Files.move(
				Files.createSymbolicLink(this.dir.resolve("link"), outside), file, StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING)))
			.isEqualTo("was replaced while it was being read (by a link or another file)");
	}

	@Test
	void readWhenCheckedFileReplacedByAnotherFileRefusesIt() throws Exception {
		assertThat(readAfterCheck("First-File-3", (file) -> Files.move(
				Files.writeString(this.dir.resolve("other"), "Other-File-3"), file, StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING)))
			.isEqualTo("was replaced while it was being read (by a link or another file)");
	}

	@Test
	void readWhenFileChangesSizeAfterCheckRefusesIt() throws Exception {
		assertThat(readAfterCheck("Grow-4", (file) -> Files.writeString(file, "-more", StandardOpenOption.APPEND)))
			.isEqualTo("changed while it was being read");
	}

	@Test
	void readWhenFileGrowsPastLimitAfterCheckRefusesIt() throws Exception {
		assertThat(readAfterCheck("Grow-5",
				(file) -> Files.writeString(file, "G".repeat(200_000), StandardOpenOption.APPEND)))
			.isEqualTo("is larger than secrets.max-file-size (65536B)");
	}

	@Test
	void readWhenFileHoldsMoreThanItsSizeReadsOnAndRefusesIt() throws Exception {
		// A file that holds more than its size says, as if it grew once opened: Linux's /proc
		// files are regular files of size 0 that read as text.
		Path file = Path.of("/proc/self/status").toRealPath();
		FileFacts checked = SecretFileReader.attributes(file, LinkOption.NOFOLLOW_LINKS);
		assertThat(checked.regularFile()).isTrue();
		assertThat(checked.size()).isZero();
		assertThat(catchThrowableOfType(UnusableSecretFileException.class,
				() -> this.reader.read("status", file, file, checked))
			.getMessage()).isEqualTo("changed while it was being read");
		SecretFileReader small = new SecretFileReader(DataSize.ofBytes(100));
		assertThat(catchThrowableOfType(UnusableSecretFileException.class,
				() -> small.read("status", file, file, checked))
			.getMessage()).isEqualTo("is larger than secrets.max-file-size (100B)");
	}

	@Test
	void stuckReadsSignalledWhenTheJvmExportsWhatSignalsNeed() {
		assertThat(SecretFileReader.stuckReadsSignalled()).isEqualTo(BlockedOpens.signalsAvailable());
	}

	/** Check a file, change it, then read it as checked: the rule the read refuses it for. */
	private String readAfterCheck(String content, Change change) throws Exception {
		Path file = Files.writeString(this.dir.resolve("checked"), content);
		FileFacts checked = SecretFileReader.attributes(file, LinkOption.NOFOLLOW_LINKS);
		change.apply(file);
		return catchThrowableOfType(UnusableSecretFileException.class,
				() -> this.reader.read("checked", file, file, checked))
			.getMessage();
	}

	@FunctionalInterface
	interface Change {

		void apply(Path file) throws IOException;

	}

	@Test
	void toStringNeverShowsTheValue() throws Exception {
		Path file = this.dir.resolve("s");
		Files.writeString(file, "hunter2-very-secret");
		assertThat(this.reader.read("s", file).toString()).doesNotContain("hunter2").contains("s");
	}

	private String read(String content) throws Exception {
		Path file = this.dir.resolve("secret");
		Files.write(file, content.getBytes(StandardCharsets.UTF_8));
		return this.reader.read("secret", file).value();
	}

}
