package dev.mountedsecrets.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Turns a secrets folder into the layout of a Kubernetes secret volume (keys link to
 * {@code ..data/<key>}, {@code ..data} links to a timestamped folder) and changes it as the
 * kubelet does: a complete new generation, then one atomic rename of {@code ..data}.
 */
final class SwappedVolume {

	private final Path dir;

	private int generation;

	private SwappedVolume(Path dir) {
		this.dir = dir;
	}

	/**
	 * Move the regular files of a folder into a first generation and link them.
	 * @param dir the folder
	 * @return the volume
	 */
	static SwappedVolume convert(Path dir) throws IOException {
		SwappedVolume volume = new SwappedVolume(dir);
		Path first = volume.nextGeneration();
		for (Path file : files(dir)) {
			Files.move(file, first.resolve(file.getFileName()));
		}
		Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
		for (Path file : files(first)) {
			Files.createSymbolicLink(dir.resolve(file.getFileName()), Path.of("..data").resolve(file.getFileName()));
		}
		return volume;
	}

	/**
	 * Write a new generation with the given values changed, then swap it in.
	 * @param values the new value of each changed key
	 * @return the {@code System.nanoTime()} just before the rename of {@code ..data}
	 */
	long swap(Map<String, String> values) throws IOException {
		Path current = this.dir.resolve(Files.readSymbolicLink(this.dir.resolve("..data")));
		Path next = nextGeneration();
		for (Path file : files(current)) {
			String name = file.getFileName().toString();
			if (values.containsKey(name)) {
				Files.writeString(next.resolve(name), values.get(name) + "\n");
			}
			else {
				Files.copy(file, next.resolve(name));
			}
		}
		Path link = this.dir.resolve("..data_tmp");
		Files.createSymbolicLink(link, next.getFileName());
		long start = System.nanoTime();
		Files.move(link, this.dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
		for (Path file : files(current)) {
			Files.delete(file);
		}
		Files.delete(current);
		return start;
	}

	private Path nextGeneration() throws IOException {
		return Files.createDirectory(this.dir.resolve("..2026_11_29_10_00_00." + (++this.generation)));
	}

	private static List<Path> files(Path folder) throws IOException {
		try (var listing = Files.list(folder)) {
			return listing.filter((file) -> !file.getFileName().toString().startsWith(".") && Files.isRegularFile(file))
				.toList();
		}
	}

}
