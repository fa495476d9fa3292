package dev.mountedsecrets;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One folder read is one batch on one reader thread: a file whose open blocks (a FIFO put
 * where a checked regular file was) is given up after the read timeout, its thread released,
 * and the files after it are still read, on a fresh thread. An interrupted caller gets every
 * file not read yet reported, and keeps its interrupt.
 */
class SecretFileReaderBatchTests {

	private static final Duration TIMEOUT = Duration.ofMillis(200);

	@TempDir
	Path dir;

	/** FIFOs left blocking until the timeout: the order of give-ups is under test, not the early release. */
	private final SecretFileReader reader = new SecretFileReader(DataSize.ofKilobytes(64), TIMEOUT, false);

	@AfterEach
	void everyAbandonedReadReturns() {
		await().atMost(Duration.ofSeconds(10)).until(() -> SecretFileReader.abandonedReads() == 0);
	}

	@Test
	void readAllWhenOneFileBlocksGivesUpOnItAndReadsTheFilesAfterIt() throws Exception {
		Path first = SecretFiles.write(this.dir, "first_secret", "Batch-First-Value-1234");
		Path fifo = fifo("blocking_secret");
		Path last = SecretFiles.write(this.dir, "last_secret", "Batch-Last-Value-5678");
		Object[] results = this.reader.readAll(List.of(request("first_secret", first, first),
				request("blocking_secret", fifo, first), request("last_secret", last, last)));
		assertThat(results).hasSize(3);
		assertThat(((SecretFileReader.Read) results[0]).secret().value()).isEqualTo("Batch-First-Value-1234");
		assertThat(results[1]).isInstanceOf(UnusableSecretFileException.class)
			.asString()
			.contains("could not be read within secrets.read-timeout (200ms)");
		assertThat(((SecretFileReader.Read) results[2]).secret().value()).isEqualTo("Batch-Last-Value-5678");
	}

	@Test
	void readAllWhenEveryFileBlocksGivesUpOnEachInTurn() throws Exception {
		Path regular = SecretFiles.write(this.dir, "regular_secret", "Batch-Regular-Value-90ab");
		Path one = fifo("one_secret");
		Path two = fifo("two_secret");
		Object[] results = this.reader
			.readAll(List.of(request("one_secret", one, regular), request("two_secret", two, regular)));
		assertThat(results[0]).isInstanceOf(UnusableSecretFileException.class)
			.asString()
			.contains("could not be read within secrets.read-timeout");
		// Without signals (no --add-exports here), the first read given up is released by
		// opening every FIFO in its folder until its thread returns: one that takes longer
		// than a round of that releases the second open too, which then finds a FIFO where a
		// regular file was checked. Either way the file is refused, never waited on for ever.
		assertThat(results[1]).isInstanceOf(UnusableSecretFileException.class)
			.asString()
			.containsAnyOf("could not be read within secrets.read-timeout",
					"was replaced while it was being read");
	}

	@Test
	void readAllWhenCallerInterruptedReportsEveryFileNotReadAndKeepsTheInterrupt() throws Exception {
		Path regular = SecretFiles.write(this.dir, "regular_secret", "Batch-Regular-Value-cdef");
		Path fifo = fifo("blocking_secret");
		Thread.currentThread().interrupt();
		Object[] results;
		try {
			results = this.reader
				.readAll(List.of(request("blocking_secret", fifo, regular), request("regular_secret", regular, regular)));
		}
		finally {
			assertThat(Thread.interrupted()).as("interrupt kept").isTrue();
		}
		assertThat(results).allSatisfy((result) -> assertThat(result).isInstanceOf(UnusableSecretFileException.class)
			.asString()
			.contains("was not read: the reading thread was interrupted"));
	}

	@Test
	void readAllWhenManyFilesKeepsTheOrder() throws Exception {
		int count = 2 * ReaderThread.SPLIT_FROM + 1;
		List<SecretFileReader.Request> requests = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Path file = SecretFiles.write(this.dir, "secret_" + i, "Split-Value-" + i);
			requests.add(request("secret_" + i, file, file));
		}
		Path regular = this.dir.resolve("secret_0");
		requests.set(3, request("blocking_first_half", fifo("blocking_first_half"), regular));
		requests.set(count - 2, request("blocking_second_half", fifo("blocking_second_half"), regular));
		Object[] results = this.reader.readAll(requests);
		assertThat(results).hasSize(count);
		for (int i = 0; i < count; i++) {
			if (i == 3 || i == count - 2) {
				// either FIFO may be released by the release of the other (see above)
				assertThat(results[i]).as("file %d", i)
					.isInstanceOf(UnusableSecretFileException.class)
					.asString()
					.containsAnyOf("could not be read within secrets.read-timeout",
							"was replaced while it was being read");
			}
			else {
				assertThat(((SecretFileReader.Read) results[i]).secret().value()).as("file %d", i)
					.isEqualTo("Split-Value-" + i);
			}
		}
	}

	@Test
	void readAllWhenCallerInterruptedWithManyFilesReportsEveryFileNotRead() throws Exception {
		List<SecretFileReader.Request> requests = new ArrayList<>();
		Path regular = SecretFiles.write(this.dir, "regular_secret", "Batch-Regular-Value-0246");
		for (int i = 0; i < 2 * ReaderThread.SPLIT_FROM; i++) {
			requests.add(request("blocking_" + i, fifo("blocking_" + i), regular));
		}
		Thread.currentThread().interrupt();
		Object[] results;
		try {
			results = this.reader.readAll(requests);
		}
		finally {
			assertThat(Thread.interrupted()).as("interrupt kept").isTrue();
		}
		assertThat(results).hasSize(requests.size())
			.allSatisfy((result) -> assertThat(result).isInstanceOf(UnusableSecretFileException.class)
				.asString()
				.contains("was not read: the reading thread was interrupted"));
	}

	@Test
	void pipelineReadsFilesAsOfferedGivesUpOnOneThatBlocksAndTakesNoMoreThanItsCapacity() throws Exception {
		Path first = SecretFiles.write(this.dir, "first_secret", "Pipeline-First-1234");
		Path fifo = fifo("blocking_secret");
		Path last = SecretFiles.write(this.dir, "last_secret", "Pipeline-Last-5678");
		SecretFileReader.Pipeline pipeline;
		Object[] results;
		try (ReaderThread thread = this.reader.startEarly()) {
			pipeline = this.reader.pipeline(3, thread);
			assertThat(pipeline.offer(request("first_secret", first, first))).isTrue();
			assertThat(pipeline.offer(request("blocking_secret", fifo, first))).isTrue();
			assertThat(pipeline.offer(request("last_secret", last, last))).isTrue();
			assertThat(pipeline.offer(request("first_secret", first, first))).as("beyond its capacity").isFalse();
			assertThat(pipeline.size()).isEqualTo(3);
			results = pipeline.results();
		}
		assertThat(results).hasSize(3);
		assertThat(((SecretFileReader.Read) results[0]).secret().value()).isEqualTo("Pipeline-First-1234");
		assertThat(results[1]).isInstanceOf(UnusableSecretFileException.class)
			.asString()
			.contains("could not be read within secrets.read-timeout (200ms)");
		assertThat(((SecretFileReader.Read) results[2]).secret().value()).isEqualTo("Pipeline-Last-5678");
	}

	@Test
	void pipelineClosedEarlyReturnsWhatWasOfferedAndTakesNoMore() throws Exception {
		Path first = SecretFiles.write(this.dir, "first_secret", "Pipeline-First-90ab");
		Object[] results;
		try (ReaderThread thread = this.reader.startEarly()) {
			SecretFileReader.Pipeline pipeline = this.reader.pipeline(10, thread);
			assertThat(pipeline.offer(request("first_secret", first, first))).isTrue();
			// the reader waits, parked, for more
			Thread.sleep(ReaderThread.SPIN.toMillis() * 20);
			results = pipeline.results();
			assertThat(pipeline.offer(request("first_secret", first, first))).as("closed").isFalse();
		}
		assertThat(results).hasSize(1);
		assertThat(((SecretFileReader.Read) results[0]).secret().value()).isEqualTo("Pipeline-First-90ab");
	}

	/**
	 * A request for {@code target}, checked as {@code checkedAs} was: a regular file.
	 */
	private static SecretFileReader.Request request(String name, Path target, Path checkedAs) throws Exception {
		BasicFileAttributes checked = Files.readAttributes(checkedAs, BasicFileAttributes.class,
				LinkOption.NOFOLLOW_LINKS);
		return new SecretFileReader.Request(name, target, target, checked);
	}

	private Path fifo(String name) throws Exception {
		Path path = this.dir.resolve(name);
		assertThat(new ProcessBuilder("mkfifo", path.toString()).start().waitFor()).isZero();
		return path;
	}

}
