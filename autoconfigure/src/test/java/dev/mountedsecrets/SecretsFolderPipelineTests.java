package dev.mountedsecrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A folder is read while it is checked: the files checked first are read on one thread as the
 * next are checked, and, in a large folder, the last ones on a second thread. Whatever thread
 * read a file, the snapshot is the same: every value, and problems and warnings in listing
 * order.
 */
class SecretsFolderPipelineTests {

	private static final int LARGE = 2 * ReaderThread.SPLIT_FROM + 16;

	@TempDir
	Path dir;

	@Test
	void readLargeFolderHasEveryValueAndProblemsInListingOrder() throws IOException {
		for (int i = 0; i < LARGE; i++) {
			SecretFiles.write(this.dir, name(i), "Pipeline-Value-" + i);
		}
		// one problem in the files read as checked, one in those read once all are checked
		int early = 3;
		int late = LARGE - 2;
		Files.write(this.dir.resolve(name(early)), new byte[] { 'a', (byte) 0xC3, '(' });
		Files.write(this.dir.resolve(name(late)), new byte[] { 'b', (byte) 0xFF });
		Files.createLink(this.dir.resolve(name(5) + "_copy"), this.dir.resolve(name(5)));
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, ReadOptions.defaults()).read();
		assertThat(snapshot.problems()).extracting(SecretProblem::name).containsExactly(name(early), name(late));
		assertThat(snapshot.problems()).allSatisfy((problem) -> assertThat(problem.rule()).isEqualTo("is not valid UTF-8"));
		assertThat(snapshot.warnings()).extracting(SecretProblem::name).containsExactly(name(5), name(5) + "_copy");
		assertThat(snapshot.secrets()).hasSize(LARGE - 2 + 1);
		for (int i = 0; i < LARGE; i++) {
			if (i != early && i != late) {
				assertThat(snapshot.secrets().get(name(i)).value()).isEqualTo("Pipeline-Value-" + i);
			}
		}
	}

	@Test
	void readSmallFolderReadsEveryFileOnTheFirstThread() throws IOException {
		for (int i = 0; i < 5; i++) {
			SecretFiles.write(this.dir, name(i), "Pipeline-Small-" + i);
		}
		Files.write(this.dir.resolve(name(2)), new byte[] { (byte) 0xFE });
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, ReadOptions.defaults()).read();
		assertThat(snapshot.problems()).extracting(SecretProblem::name).containsExactly(name(2));
		assertThat(snapshot.secrets().keySet()).containsExactly(name(0), name(1), name(3), name(4));
	}

	@Test
	void readWithSubfoldersReadsTheirFilesBeyondWhatTheFirstThreadTakes() throws IOException {
		// more files than secrets.dir lists entries: the sub-folders' files go past the pipeline
		for (String folder : List.of("a_folder", "b_folder")) {
			Path sub = Files.createDirectory(this.dir.resolve(folder));
			for (int i = 0; i < 20; i++) {
				SecretFiles.write(sub, name(i), folder + "-Value-" + i);
			}
			Files.write(sub.resolve(name(19)), new byte[] { (byte) 0xFF });
		}
		SecretFiles.write(this.dir, "c_top", "Top-Value-1");
		ReadOptions defaults = ReadOptions.defaults();
		ReadOptions withSubfolders = new ReadOptions(defaults.maxFileSize(), true, defaults.permissionCheck(), false);
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, withSubfolders).read();
		assertThat(snapshot.problems()).extracting(SecretProblem::name)
			.containsExactly("a_folder." + name(19), "b_folder." + name(19));
		assertThat(snapshot.secrets()).hasSize(2 * 19 + 1);
		assertThat(snapshot.secrets().get("b_folder." + name(18)).value()).isEqualTo("b_folder-Value-18");
		assertThat(snapshot.secrets().get("c_top").value()).isEqualTo("Top-Value-1");
	}

	@Test
	@MustNotHang
	void readLeavesNoReaderThreadWaitingForFiles() throws Exception {
		// an empty folder (nothing handed over), a folder that is a file (never listed), a
		// small and a large folder: every reader thread returns to its pool
		Path file = SecretFiles.write(this.dir, "not_a_folder", "Pipeline-Not-A-Folder");
		Path empty = Files.createDirectory(this.dir.resolve("empty"));
		Path large = Files.createDirectory(this.dir.resolve("large"));
		for (int i = 0; i < LARGE; i++) {
			SecretFiles.write(large, name(i), "Pipeline-Large-" + i);
		}
		for (Path folder : List.of(empty, file, this.dir, large)) {
			for (int i = 0; i < 5; i++) {
				new SecretsFolder(folder, ReadOptions.defaults()).read();
			}
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> readersWaiting() == 0);
	}

	/**
	 * Threads waiting for files to be handed over (in a pipeline or as a reader thread taken
	 * early).
	 */
	private static long readersWaiting() {
		return Thread.getAllStackTraces()
			.values()
			.stream()
			.filter((stack) -> Arrays.stream(stack)
				.anyMatch((frame) -> frame.getClassName().startsWith(ReaderThread.class.getName())
						&& (frame.getMethodName().equals("waitUntil") || frame.getMethodName().equals("waitAndRun"))))
			.count();
	}

	private static String name(int i) {
		return String.format("secret_%03d", i);
	}

}
