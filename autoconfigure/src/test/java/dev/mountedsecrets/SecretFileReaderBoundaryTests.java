package dev.mountedsecrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The edges of reading one file: a file of exactly {@code secrets.max-file-size} and one byte
 * more, and the newline and byte-order mark handling on files that hold nothing else.
 */
class SecretFileReaderBoundaryTests {

	private static final int LIMIT = 1024;

	private final SecretFileReader reader = new SecretFileReader(DataSize.ofBytes(LIMIT));

	@TempDir
	Path dir;

	@Test
	void readWhenExactlyMaxFileSizeAcceptsIt() throws Exception {
		String content = "x".repeat(LIMIT);
		assertThat(read(content)).isEqualTo(content);
	}

	@Test
	void readWhenOneByteOverMaxFileSizeFails() throws IOException {
		Path file = write("x".repeat(LIMIT + 1));
		assertThatExceptionOfType(UnusableSecretFileException.class).isThrownBy(() -> this.reader.read("s", file))
			.withMessageContaining("is larger than secrets.max-file-size (" + DataSize.ofBytes(LIMIT) + ")");
	}

	@Test
	void readWhenOnlyByteOrderMarkAndCrlfGivesEmptyValue() throws Exception {
		assertThat(read("\uFEFF\r\n")).isEmpty();
	}

	@Test
	void readWhenOnlyByteOrderMarkAndNewlineGivesEmptyValue() throws Exception {
		assertThat(read("\uFEFF\n")).isEmpty();
	}

	@Test
	void readWhenOnlyByteOrderMarkGivesEmptyValue() throws Exception {
		assertThat(read("\uFEFF")).isEmpty();
	}

	@Test
	void readWhenEmptyGivesEmptyValue() throws Exception {
		assertThat(read("")).isEmpty();
	}

	@Test
	void readWhenLoneTrailingCarriageReturnKeepsIt() throws Exception {
		assertThat(read("pw\r")).isEqualTo("pw\r");
	}

	@Test
	void readWhenOnlyCarriageReturnKeepsIt() throws Exception {
		assertThat(read("\r")).isEqualTo("\r");
	}

	@Test
	void readWhenNonAsciiUtf8DecodesIt() throws Exception {
		assertThat(read("pässwörd-密码\n")).isEqualTo("pässwörd-密码");
	}

	private String read(String content) throws Exception {
		return this.reader.read("s", write(content)).value();
	}

	private Path write(String content) throws IOException {
		return Files.write(this.dir.resolve("s"), content.getBytes(StandardCharsets.UTF_8));
	}

}
