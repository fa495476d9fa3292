package dev.mountedsecrets.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the reloader's fingerprint sees without reading contents, and which changes it
 * counts as one atomic swap.
 */
class FolderFingerprintTests {

	@TempDir
	Path dir;

	@Test
	void takeWhenNothingChangedIsEqual() throws IOException {
		Files.writeString(this.dir.resolve("redis_password"), "Print-1\n");
		assertThat(take()).isEqualTo(take());
	}

	@Test
	void takeWhenFileJustWrittenIsNotSettled() throws IOException {
		Files.writeString(this.dir.resolve("redis_password"), "Print-2\n");
		assertThat(take().settled()).isFalse();
	}

	@Test
	void takeWhenFolderHoldsOnlyOldFilesIsSettled() throws IOException {
		assertThat(take().settled()).isTrue();
	}

	@Test
	void takeWhenSameSizeRewrittenAndMtimeSetBackDiffers() throws Exception {
		Path file = Files.writeString(this.dir.resolve("redis_password"), "Print-3a\n");
		FileTime mtime = Files.getLastModifiedTime(file);
		FolderFingerprint before = take();
		FileTime ctime = (FileTime) Files.getAttribute(file, "unix:ctime");
		while (ctime.equals(Files.getAttribute(file, "unix:ctime"))) {
			Files.writeString(file, "Print-3b\n");
		}
		Files.setLastModifiedTime(file, mtime);
		assertThat(take()).isNotEqualTo(before);
	}

	@Test
	void takeWhenModeChangedDiffers() throws IOException {
		Path file = Files.writeString(this.dir.resolve("redis_password"), "Print-4\n");
		FolderFingerprint before = take();
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
		assertThat(take()).isNotEqualTo(before);
	}

	@Test
	void takeWhenFileAddedOrRemovedDiffers() throws IOException {
		FolderFingerprint empty = take();
		Path file = Files.writeString(this.dir.resolve("email_password"), "Print-5\n");
		assertThat(take()).isNotEqualTo(empty);
		Files.delete(file);
		assertThat(take()).isEqualTo(empty);
	}

	@Test
	void isAtomicSwapFromWhenDataLinkSwappedIsTrue() throws IOException {
		volume("Swap-1");
		FolderFingerprint before = take();
		swapTo(generation(2, "Swap-2"));
		assertThat(take().isAtomicSwapFrom(before)).isTrue();
	}

	@Test
	void isAtomicSwapFromWhenKeyWrittenInPlaceIsFalse() throws IOException {
		Path first = volume("Swap-3");
		FolderFingerprint before = take();
		Files.writeString(first.resolve("redis_password"), "Swap-3-longer");
		assertThat(take()).isNotEqualTo(before);
		assertThat(take().isAtomicSwapFrom(before)).isFalse();
	}

	@Test
	void isAtomicSwapFromWhenRegularFileChangesBesideTheSwapIsFalse() throws IOException {
		volume("Swap-4");
		Files.writeString(this.dir.resolve("email_password"), "Plain-4");
		FolderFingerprint before = take();
		swapTo(generation(2, "Swap-4b"));
		Files.writeString(this.dir.resolve("email_password"), "Plain-4-longer");
		assertThat(take().isAtomicSwapFrom(before)).isFalse();
	}

	@Test
	void isAtomicSwapFromWhenRecentPlainFileUnchangedBesideTheSwapIsFalse() throws IOException {
		volume("Swap-5");
		Files.writeString(this.dir.resolve("email_password"), "Plain-5");
		FolderFingerprint before = take();
		swapTo(generation(2, "Swap-5b"));
		assertThat(take().isAtomicSwapFrom(before)).as("a same-tick rewrite of email_password would not show")
			.isFalse();
	}

	@Test
	void isAtomicSwapFromWhenOnlyPlainFilesChangedIsFalse() throws IOException {
		FolderFingerprint before = take();
		Files.writeString(this.dir.resolve("redis_password"), "Plain-6");
		assertThat(take().isAtomicSwapFrom(before)).isFalse();
	}

	private FolderFingerprint take() {
		return FolderFingerprint.take(this.dir, false);
	}

	/** A Kubernetes-style volume whose key redis_password links through ..data to its first generation. */
	private Path volume(String value) throws IOException {
		Path first = generation(1, value);
		link("..data", first.getFileName().toString());
		link("redis_password", "..data/redis_password");
		return first;
	}

	private Path generation(int number, String value) throws IOException {
		Path generation = Files.createDirectory(this.dir.resolve("..2026_11_29_09_00_00." + number));
		Files.writeString(generation.resolve("redis_password"), value);
		return generation;
	}

	private void link(String name, String target) throws IOException {
		Files.createSymbolicLink(this.dir.resolve(name), Path.of(target));
	}

	private void swapTo(Path generation) throws IOException {
		link("..data_tmp", generation.getFileName().toString());
		Files.move(this.dir.resolve("..data_tmp"), this.dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
	}

}
