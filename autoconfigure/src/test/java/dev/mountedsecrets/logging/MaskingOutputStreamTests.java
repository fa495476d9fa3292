package dev.mountedsecrets.logging;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.mountedsecrets.ServedSecrets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up window's masking stream: whole lines masked, clean lines written as given,
 * and nothing held back or changed once released.
 */
class MaskingOutputStreamTests {

	private static final String SECRET = "Stream-Secret-5e0c1a9b";

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final MaskingOutputStream stream = new MaskingOutputStream(this.out, served(), StandardCharsets.US_ASCII);

	@Test
	void writeWhenSecretSplitBetweenWritesMasksTheLine() throws Exception {
		this.stream.write(("key " + SECRET.substring(0, 7)).getBytes(StandardCharsets.UTF_8));
		assertThat(this.out.size()).as("a line is held until it ends").isZero();
		this.stream.write((SECRET.substring(7) + " end\n").getBytes(StandardCharsets.UTF_8));
		assertThat(this.out.toString(StandardCharsets.UTF_8)).isEqualTo("key ****** end\n");
	}

	@Test
	void writeWhenLineShowsNoSecretWritesItsBytesAsGiven() throws Exception {
		byte[] utf8 = "caf\u00e9 \u00fcber\n".getBytes(StandardCharsets.UTF_8);
		this.stream.write(utf8);
		assertThat(this.out.toByteArray()).as("not re-encoded in the stream's ASCII").isEqualTo(utf8);
	}

	@Test
	void writeWhenReleasedPassesEveryByteThroughAtOnce() throws Exception {
		this.stream.write("held ".getBytes(StandardCharsets.UTF_8));
		this.stream.release();
		assertThat(this.out.toString(StandardCharsets.UTF_8)).isEqualTo("held ");
		this.stream.write("prompt> ".getBytes(StandardCharsets.UTF_8));
		assertThat(this.out.toString(StandardCharsets.UTF_8)).isEqualTo("held prompt> ");
	}

	private static ServedSecrets served() {
		ServedSecrets served = new ServedSecrets();
		served.record(List.of(SECRET));
		return served;
	}

}
