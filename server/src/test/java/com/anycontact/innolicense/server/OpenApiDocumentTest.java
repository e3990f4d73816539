package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.http.ApiRole;
import com.anycontact.innolicense.http.HttpApi;
import com.anycontact.innolicense.http.ProblemType;
import com.anycontact.innolicense.license.LicenseState;
import com.anycontact.innolicense.license.LicenseWarning;
import com.anycontact.innolicense.license.RejectionReason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/openapi.yaml} cannot drift from the code: its operations are exactly the routes the server
 * declares, each with the same roles in {@code x-roles}; its enums are the code's; every reference resolves;
 * and the server serves exactly this file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {

    private static final Path DOCUMENT = Path.of("..", "docs", "openapi.yaml");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @TempDir
    static Path data;

    private RunningServer running;
    private JsonNode document;

    @BeforeAll
    void start() throws IOException {
        running = RunningServer.start(data);
        document = new ObjectMapper(new YAMLFactory()).readTree(DOCUMENT.toFile());
    }

    @AfterAll
    void stop() {
        running.close();
    }

    /** The operations of the document by {@code METHOD /path}, each with its {@code x-roles}. */
    private Map<String, JsonNode> operations() {
        Map<String, JsonNode> operations = new LinkedHashMap<>();
        document.path("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(operation -> {
                    if (METHODS.contains(operation.getKey())) {
                        operations.put(
                                operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(),
                                operation.getValue());
                    }
                }));
        return operations;
    }

    private Map<String, HttpApi.Route> routes() {
        Map<String, HttpApi.Route> routes = new LinkedHashMap<>();
        for (HttpApi.Route route : running.server.routes()) {
            routes.put(route.method().name() + " " + route.path(), route);
        }
        return routes;
    }

    @Test
    void theDocument_isOpenApi31() {
        assertThat(document.path("openapi").asText()).startsWith("3.1.");
        assertThat(document.path("info").path("title").asText()).isNotBlank();
    }

    @Test
    void theOperations_areExactlyTheDeclaredRoutes() {
        assertThat(operations().keySet())
                .as("operations in docs/openapi.yaml")
                .containsExactlyInAnyOrderElementsOf(routes().keySet());
    }

    @Test
    void everyOperation_listsTheRolesItsRouteDeclares() {
        Map<String, HttpApi.Route> routes = routes();
        operations().forEach((operation, node) -> {
            HttpApi.Route route = routes.get(operation);
            if (route == null) {
                return;
            }
            Set<String> documented = new TreeSet<>();
            node.path("x-roles").forEach(role -> documented.add(role.asText()));
            Set<String> declared =
                    route.roles().stream().map(ApiRole::name).collect(Collectors.toCollection(TreeSet::new));
            assertThat(documented).as("x-roles of " + operation).isEqualTo(declared);
        });
    }

    @Test
    void everyOperation_namesItsSecurity_andTheAuthenticationAnswersItCanGet() {
        Map<String, HttpApi.Route> routes = routes();
        operations().forEach((operation, node) -> {
            HttpApi.Route route = routes.get(operation);
            if (route == null) {
                return;
            }
            Set<String> schemes = new HashSet<>();
            node.path("security")
                    .forEach(requirement -> requirement.fieldNames().forEachRemaining(schemes::add));
            assertThat(node.has("security")).as("security of " + operation).isTrue();
            if (route.roles().contains(ApiRole.ANYONE)) {
                assertThat(schemes).as("security of " + operation).isEmpty();
            } else if (route.roles().equals(Set.of(ApiRole.ACD))) {
                assertThat(schemes).as("security of " + operation).containsExactly("bearerToken");
            } else {
                assertThat(schemes)
                        .as("security of " + operation)
                        .containsExactlyInAnyOrder("bearerToken", "sessionCookie");
            }
            if (!route.roles().contains(ApiRole.ANYONE)) {
                assertThat(node.path("responses").has("401"))
                        .as("401 of " + operation)
                        .isTrue();
            }
            boolean restricted =
                    !route.roles().contains(ApiRole.ANYONE) && !route.roles().contains(ApiRole.AUTHENTICATED);
            boolean sessionWrite = !route.roles().contains(ApiRole.ANYONE)
                    && !route.method().name().equals("GET");
            if (restricted || sessionWrite) {
                assertThat(node.path("responses").has("403"))
                        .as("403 of " + operation)
                        .isTrue();
            }
        });
    }

    @Test
    void everyOperation_hasAUniqueOperationId() {
        List<String> ids = new ArrayList<>();
        operations().values().forEach(node -> ids.add(node.path("operationId").asText()));

        assertThat(ids).doesNotContain("").doesNotHaveDuplicates();
    }

    @Test
    void theProblemSchema_listsEveryProblemType() {
        Set<String> documented =
                texts(schema("Problem").path("properties").path("type").path("enum"));
        Set<String> declared = Arrays.stream(ProblemType.values())
                .map(type -> type.uri().toString())
                .collect(Collectors.toSet());

        assertThat(documented).isEqualTo(declared);
    }

    @Test
    void theEnums_areTheCodes() {
        assertThat(texts(schema("AuditEventType").path("enum"))).isEqualTo(names(AuditEvent.Type.values()));
        assertThat(texts(schema("RejectionReason").path("enum"))).isEqualTo(names(RejectionReason.values()));
        assertThat(texts(schema("Warning").path("properties").path("code").path("enum")))
                .isEqualTo(names(LicenseWarning.Code.values()));
        assertThat(texts(
                        schema("LicenseStatus").path("properties").path("state").path("enum")))
                .isEqualTo(names(LicenseState.values()));
    }

    @Test
    void everyReference_resolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);

        assertThat(refs).isNotEmpty().allSatisfy(ref -> {
            assertThat(ref).startsWith("#/");
            JsonNode target = document.at(ref.substring(1));
            assertThat(target.isMissingNode()).as(ref).isFalse();
        });
    }

    @Test
    void theServer_servesThisDocumentToAnyone() throws IOException {
        Api.Reply reply = running.api.get("/api/v1/openapi.yaml", null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/yaml");
        assertThat(reply.body()).isEqualTo(Files.readString(DOCUMENT, StandardCharsets.UTF_8));
    }

    private JsonNode schema(String name) {
        JsonNode schema = document.path("components").path("schemas").path(name);
        assertThat(schema.isMissingNode()).as("schema " + name).isFalse();
        return schema;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if (field.getKey().equals("$ref")) {
                    refs.add(field.getValue().asText());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> collectRefs(element, refs));
        }
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> texts = new HashSet<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static Set<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).collect(Collectors.toSet());
    }
}
