package org.careline.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Reads one file under mappings/ into a record, failing with the file, line and key of the first problem. */
final class YamlFiles {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private YamlFiles() {
    }

    static <T> T read(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            throw new MappingException(file + ": file not found");
        }
        try {
            T value = YAML.readValue(file.toFile(), type);
            if (value == null) {
                throw new MappingException(file + ": file is empty");
            }
            return value;
        } catch (JsonMappingException e) {
            String key = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            String line = e.getLocation() == null ? "" : ", line " + e.getLocation().getLineNr();
            throw new MappingException(file + line + ", key '" + key + "': " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            String line = e.getLocation() == null ? "" : ", line " + e.getLocation().getLineNr();
            throw new MappingException(file + line + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MappingException(file + ": " + e.getMessage(), e);
        }
    }
}
