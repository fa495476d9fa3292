package dev.mountedsecrets.jdbc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JDBC URL as the pre-flight report shows it: no user info, no parameters.
 */
class PreflightUrlTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "jdbc:postgresql://app:Pw-1@db:5432/app|jdbc:postgresql://db:5432/app",
			"jdbc:postgresql://db/app?user=app&password=Pw-2|jdbc:postgresql://db/app",
			"jdbc:sqlserver://db:1433;databaseName=app;password=Pw-3|jdbc:sqlserver://db:1433",
			"jdbc:mariadb://db:3306/app|jdbc:mariadb://db:3306/app", "jdbc:h2:mem:test|jdbc:h2:mem:test",
			"jdbc:postgresql://app:p@ssW0rd-x@db/app|jdbc:postgresql://db/app",
			"jdbc:oracle:thin:app/S3cr3tPw@//db:1521/XE|jdbc:oracle:thin://db:1521/XE",
			"jdbc:oracle:thin:@//db:1521/XE|jdbc:oracle:thin:@//db:1521/XE",
			"jdbc:mysql://(host=db,user=app,password=S3cr3tPw)/app|jdbc:mysql://(host=db,user=...,password=...)/app",
			"jdbc:mysql://address=(host=db)(port=3306)(password=S3cr3tPw)/app|jdbc:mysql://address=(host=db)(port=3306)(password=...)/app" })
	void withoutCredentialsWhenUrlCarriesThemDropsThem(String url, String shown) {
		assertThat(DatabasePreflightCheck.withoutCredentials(url)).isEqualTo(shown);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "jdbc:oracle:thin:app/p@ssW0rd-x@//db:1521/XE|p@ssW0rd-x",
			"jdbc:oracle:thin:app/\"Xy7@kQ2mN9pL4zR8\"@//db/XE|Xy7@kQ2mN9pL4zR8",
			"jdbc:mysql://app:Xy7kQ2mN9pL4?zR8@db/app|Xy7kQ2mN9pL4?zR8",
			"jdbc:sqlserver://app:Ab;cD9eF1gH@db:1433|Ab;cD9eF1gH" })
	void withoutCredentialsWhenPasswordHoldsSignsOfTheUrlShowsNoPieceOfIt(String url, String password) {
		String shown = DatabasePreflightCheck.withoutCredentials(url);
		for (int i = 0; i + 4 <= password.length(); i++) {
			assertThat(shown).doesNotContain(password.substring(i, i + 4));
		}
		assertThat(shown).contains("db");
	}

}
