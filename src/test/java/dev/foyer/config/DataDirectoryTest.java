package dev.foyer.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DataDirectoryTest {

	@Test
	void aFolderThatCannotBeCreatedIsNamedWithTheReason() {
		assertThatThrownBy(() -> DataDirectory.create(Path.of("/dev/null/tomcat/docbase")))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessage("FOYER_DATA_DIR (foyer.data-dir): cannot create /dev/null/tomcat/docbase "
					+ "(Not a directory: /dev/null/tomcat)");
	}

}
