package dev.mountedsecrets;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A read stuck in {@code open()} of a FIFO after a swap race must not outlive its cause: once
 * the file system no longer holds a FIFO where the reader can be released, the stuck-read count
 * returns to zero and no reader or releaser thread is left. Where the JVM cannot signal a
 * thread (the default), one case remains, shown here as documented: a FIFO unlinked (or
 * renamed out of the folder) while a reader is blocked on it.
 * <p>
 * The cases that could leave a thread stuck for good run in a forked JVM, so that a stuck
 * reader there never reaches the other tests.
 */
class StuckFifoReadTests {

	private static final String EXPORT = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";

	@TempDir
	Path dir;

	@Test
	@MustNotHang
	void readWhenOpenBlocksOnFifoReleasesItEarlyAndRefusesItLongBeforeTheTimeout() throws Exception {
		SecretFileReader reader = new SecretFileReader(DataSize.ofKilobytes(64), Duration.ofSeconds(30));
		Path file = Files.writeString(this.dir.resolve("swapped"), "Fifo-Early-1");
		FileFacts checked = SecretFileReader.attributes(file, LinkOption.NOFOLLOW_LINKS);
		Files.delete(file);
		StuckFifoRace.mkfifo(file);
		long start = System.nanoTime();
		assertThatExceptionOfType(UnusableSecretFileException.class)
			.isThrownBy(() -> reader.read("swapped", file, file, checked))
			.withMessage("was replaced while it was being read (by a link or another file)");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(SecretFileReader.abandonedReads()).isZero();
		assertThat(StuckFifoRace.readersInOpen()).isZero();
	}

	@Test
	@MustNotHang
	void readWhenFifoRenamedInsideTheFolderWhileBlockedReleasesTheReader() throws Exception {
		StuckFifoRace.Left left = StuckFifoRace.run(this.dir, StuckFifoRace.Next.RENAMED_INSIDE, Duration.ofSeconds(10));
		assertThat(left.outcome()).startsWith("could not be read within secrets.read-timeout (300ms)");
		assertThat(left.nothing()).as(left.toString()).isTrue();
	}

	@ParameterizedTest
	@EnumSource(StuckFifoRace.Next.class)
	@MustNotHang
	void readWhenFifoLeavesThePathWhileBlockedAndSignalsExportedReleasesTheReader(StuckFifoRace.Next next)
			throws Exception {
		String left = fork(true, next, 10);
		assertThat(left).contains("signalled=true stuckReads=0 readersInOpen=0 releasers=0")
			.contains("outcome=could not be read within secrets.read-timeout (300ms)")
			.doesNotContain("stuckReads=1")
			.doesNotContain("stuckReadsRelease")
			.doesNotContain("Fifo-Race-Value-7f3a")
			.doesNotContain("Fifo-Race-Other-9c01");
	}

	@Test
	@MustNotHang
	void readWhenFifoRenamedInsideWithoutExportReleasesTheReaderToo() throws Exception {
		assertThat(fork(false, StuckFifoRace.Next.RENAMED_INSIDE, 10))
			.contains("signalled=false stuckReads=0 readersInOpen=0 releasers=0");
	}

	/** The case that remains (docs/how-files-are-read.md): nothing can open an unlinked FIFO. */
	@Test
	@MustNotHang
	void readWhenFifoUnlinkedWithoutExportStaysStuckAsDocumented() throws Exception {
		assertThat(fork(false, StuckFifoRace.Next.UNLINKED, 2))
			.contains("signalled=false stuckReads=1 readersInOpen=1 releasers=1")
			.contains("health DOWN")
			.contains("stuckReads=1")
			.contains("stuckReadsRelease=Released when the FIFO at the file's path, or one in its folder, is gone;"
					+ " one unlinked or moved out of the folder holds its reader until a restart (run the JVM with"
					+ " --add-exports java.base/sun.nio.ch=ALL-UNNAMED to release it)");
	}

	private String fork(boolean export, StuckFifoRace.Next next, int settleSeconds) throws Exception {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1"));
		if (export) {
			command.add(EXPORT);
		}
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), StuckFifoRace.class.getName(),
				next.name(), String.valueOf(settleSeconds)));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		byte[] output = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(50, TimeUnit.SECONDS)).isTrue();
		String text = new String(output, StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(text).isZero();
		return text;
	}

}
