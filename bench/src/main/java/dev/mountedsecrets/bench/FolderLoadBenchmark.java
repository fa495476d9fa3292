package dev.mountedsecrets.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.mountedsecrets.ReadOptions;
import dev.mountedsecrets.SecretMappings;
import dev.mountedsecrets.SecretRules;
import dev.mountedsecrets.SecretsFolder;
import dev.mountedsecrets.SecretsPropertySource;
import dev.mountedsecrets.SecretsSnapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import org.springframework.boot.env.ConfigTreePropertySource;
import org.springframework.boot.env.ConfigTreePropertySource.Option;
import org.springframework.core.env.StandardEnvironment;

/**
 * Figure 1: load a folder of N secret files into a Spring {@code Environment} and read every
 * property once. mounted-secrets (read, validate, serve as {@code secrets.file.<name>})
 * against Boot's {@code configtree:} source on the same folder, and a bare
 * {@code Files.readString} loop as the floor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FolderLoadBenchmark {

	@Param({ "10", "100", "1000", "10000" })
	public int files;

	private static final String LOOK = "unix:mode,uid,nlink,size,fileKey";

	private Path dir;

	private List<String> names;

	private List<String> ourProperties;

	private final SecretMappings mappings = SecretMappings.withOverrides(Map.of());

	private final SecretRules rules = new SecretRules(List.of(), Map.of(), this.mappings, true);

	@Setup
	public void createFolder() throws IOException {
		this.dir = SecretFolders.create(this.files);
		this.names = SecretFolders.names(this.dir);
		this.ourProperties = this.names.stream().map((name) -> SecretMappings.FILE_PROPERTY_PREFIX + name).toList();
	}

	@TearDown
	public void deleteFolder() throws IOException {
		SecretFolders.delete(this.dir);
	}

	@Benchmark
	public void mountedSecrets(Blackhole blackhole) {
		StandardEnvironment environment = new StandardEnvironment();
		SecretsSnapshot snapshot = new SecretsFolder(this.dir, ReadOptions.defaults()).read();
		blackhole.consume(this.rules.check(snapshot));
		environment.getPropertySources().addFirst(new SecretsPropertySource(snapshot, this.mappings));
		for (String property : this.ourProperties) {
			blackhole.consume(environment.getProperty(property));
		}
	}

	@Benchmark
	public void configTree(Blackhole blackhole) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new ConfigTreePropertySource("configtree", this.dir, Option.AUTO_TRIM_TRAILING_NEW_LINE));
		for (String name : this.names) {
			blackhole.consume(environment.getProperty(name));
		}
	}

	/**
	 * The system calls a checked read makes, on one thread, with none of its checks,
	 * bookkeeping, reader threads or environment: list the folder (names are not known in
	 * advance); per file, {@code lstat} it before opening it (a FIFO or a device is never
	 * opened, permissions, owner and links are seen), open it without following links,
	 * {@code stat} it by path after the open (Java has no handle-level {@code fstat}: the
	 * identity of the opened file is looked up by path), read it (one read when it is its size),
	 * close it. The looks ask the {@code unix} view for what the checks use, as ours do. What
	 * is left between this and {@link #mountedSecrets} is our own code, less what two reader
	 * threads win back.
	 */
	@Benchmark
	public void checkedReadSystemCalls(Blackhole blackhole) throws IOException {
		try (DirectoryStream<Path> listing = Files.newDirectoryStream(this.dir)) {
			for (Path file : listing) {
				blackhole.consume(Files.readAttributes(file, LOOK, LinkOption.NOFOLLOW_LINKS));
				try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ,
						LinkOption.NOFOLLOW_LINKS)) {
					Map<String, Object> opened = Files.readAttributes(file, LOOK, LinkOption.NOFOLLOW_LINKS);
					ByteBuffer content = ByteBuffer.allocate((int) (long) (Long) opened.get("size") + 1);
					channel.read(content);
					blackhole.consume(content);
				}
			}
		}
	}

	@Benchmark
	public void filesReadStringFloor(Blackhole blackhole) throws IOException {
		for (String name : this.names) {
			blackhole.consume(Files.readString(this.dir.resolve(name)));
		}
	}

}
