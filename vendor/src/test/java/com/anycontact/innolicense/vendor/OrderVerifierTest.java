package com.anycontact.innolicense.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.license.Customer;
import com.anycontact.innolicense.license.InstallationId;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderVerifierTest {

    static final String EXAMPLE = """
            {"orderId":"SO-1001","customer":{"id":"C-77","name":"Acme"},
             "installationId":"IACD-7K3M-Q9XW-2D4F-HT6B","features":["ACD","IVR"],"seats":50,
             "startDate":"2026-12-01","timeZone":"Europe/Berlin"}
            """;

    @Test
    void verify_whenExampleOrder_fillsInTheDefaults() {
        Order order = verified(EXAMPLE);

        assertThat(order.orderId()).isEqualTo("SO-1001");
        assertThat(order.customer()).isEqualTo(new Customer("C-77", "Acme"));
        assertThat(order.installationId()).isEqualTo(new InstallationId("IACD-7K3M-Q9XW-2D4F-HT6B"));
        assertThat(order.features()).containsExactly("ACD", "IVR");
        assertThat(order.seats()).isEqualTo(50);
        assertThat(order.startDate()).isEqualTo(LocalDate.of(2026, 12, 1));
        assertThat(order.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(order.termMonths()).isEqualTo(12);
        assertThat(order.graceDays()).isEqualTo(14);
    }

    @Test
    void verify_whenTermAndGraceGiven_takesThem() {
        Order order = verified(EXAMPLE.replace("\"seats\":50", "\"seats\":50,\"termMonths\":24,\"graceDays\":0"));

        assertThat(order.termMonths()).isEqualTo(24);
        assertThat(order.graceDays()).isZero();
    }

    @Test
    void verify_whenInstallationIdTypedInLowerCase_acceptsItInCanonicalForm() {
        Order order = verified(EXAMPLE.replace("IACD-7K3M-Q9XW-2D4F-HT6B", "iacd-7k3m-q9xw-2d4f-ht6b"));

        assertThat(order.installationId().value()).isEqualTo("IACD-7K3M-Q9XW-2D4F-HT6B");
    }

    @Test
    void verify_whenSeatsIsZero_namesTheFieldAndTheRange() {
        assertThat(problems(EXAMPLE.replace("\"seats\":50", "\"seats\":0")))
                .containsExactly("seats: must be a whole number from 1 to 100000, was 0");
    }

    @Test
    void verify_whenSeatsIsText_saysToDropTheQuotes() {
        assertThat(problems(EXAMPLE.replace("\"seats\":50", "\"seats\":\"50\"")))
                .containsExactly("seats: must be a whole number from 1 to 100000, was \"50\";"
                        + " write the number without quotes");
    }

    @Test
    void verify_whenManyFieldsAreWrong_reportsEveryOneInFieldOrder() {
        String order = """
                {"orderId":" ","customer":{"id":"C 77"},"installationId":"IACD-1234",
                 "features":["ACD","FAX","ACD","ivr"],"seats":100001,"startDate":"01.12.2026",
                 "timeZone":"Mars/Olympus","termMonths":0,"graceDays":400,"discount":5}
                """;

        List<String> problems = problems(order);

        assertThat(problems).hasSize(13);
        assertThat(problems.get(0)).startsWith("orderId: must not be empty");
        assertThat(problems.get(1))
                .startsWith("customer.id: must be 1 to 64 letters")
                .endsWith("was \"C 77\"");
        assertThat(problems.get(2)).startsWith("customer.name: is missing");
        assertThat(problems.get(3))
                .startsWith("installationId: must be IACD- followed by four groups")
                .endsWith("was \"IACD-1234\"");
        assertThat(problems.get(4)).startsWith("features[1]: \"FAX\" is not in the product catalog; valid codes: ACD");
        assertThat(problems.get(5)).isEqualTo("features[2]: \"ACD\" is listed twice (also features[0]); list it once");
        assertThat(problems.get(6))
                .isEqualTo("features[3]: \"ivr\" is not in the product catalog; write it as \"IVR\"");
        assertThat(problems.get(7)).isEqualTo("seats: must be a whole number from 1 to 100000, was 100001");
        assertThat(problems.get(8)).startsWith("startDate: must be a date in the form yyyy-MM-dd");
        assertThat(problems.get(9)).startsWith("timeZone: must be a time zone region ID");
        assertThat(problems.get(10)).isEqualTo("termMonths: must be a whole number from 1 to 120, was 0");
        assertThat(problems.get(11)).isEqualTo("graceDays: must be a whole number from 0 to 365, was 400");
        assertThat(problems.get(12)).startsWith("discount: is not a field of an order; the fields are orderId,");
    }

    @Test
    void verify_whenEverythingIsMissing_reportsEachRequiredField() {
        assertThat(problems("{}"))
                .extracting(problem -> problem.substring(0, problem.indexOf(':')))
                .containsExactly("orderId", "customer", "installationId", "features", "seats", "startDate", "timeZone");
    }

    @Test
    void verify_whenFieldNameHasTheWrongCase_suggestsTheRightOne() {
        assertThat(problems(EXAMPLE.replace("\"seats\"", "\"Seats\"")))
                .contains("Seats: is not a field of an order; did you mean seats? Field names are case-sensitive");
    }

    @Test
    void verify_whenCustomerHasAnUnknownField_namesItWithItsPath() {
        assertThat(problems(EXAMPLE.replace("\"name\":\"Acme\"", "\"name\":\"Acme\",\"vat\":\"DE1\"")))
                .containsExactly("customer.vat: is not a field of customer; the fields are id, name");
    }

    @Test
    void verify_whenFeaturesIsEmpty_listsTheValidCodes() {
        assertThat(problems(EXAMPLE.replace("[\"ACD\",\"IVR\"]", "[]")))
                .singleElement()
                .asString()
                .startsWith("features: must name at least one feature; valid codes: ACD, CALLBACK, CHAT");
    }

    @Test
    void verify_whenStartDateIsNotInTheCalendar_saysSo() {
        assertThat(problems(EXAMPLE.replace("2026-12-01", "2026-02-30")))
                .containsExactly("startDate: is not a day of the calendar, was \"2026-02-30\"");
    }

    @Test
    void verify_whenTimeZoneHasTheWrongCase_suggestsTheRegionId() {
        assertThat(problems(EXAMPLE.replace("Europe/Berlin", "europe/berlin")))
                .singleElement()
                .asString()
                .endsWith("was \"europe/berlin\"; did you mean \"Europe/Berlin\"?");
    }

    @Test
    void verify_whenTimeZoneIsAnOffset_refusesIt() {
        assertThat(problems(EXAMPLE.replace("Europe/Berlin", "+01:00")))
                .singleElement()
                .asString()
                .startsWith("timeZone: must be a time zone region ID");
    }

    @Test
    void verify_whenOptionalFieldIsNull_pointsToTheDefault() {
        assertThat(problems(EXAMPLE.replace("\"seats\":50", "\"seats\":50,\"graceDays\":null")))
                .containsExactly(
                        "graceDays: must be a whole number from 0 to 365, was null; leave the field out for the"
                                + " default of 14");
    }

    @Test
    void verify_whenJsonIsBroken_givesLineAndColumn() {
        assertThat(problems("{\"orderId\": \"SO-1\",\n \"seats\": }"))
                .singleElement()
                .asString()
                .startsWith("order: is not valid JSON at line 2, column");
    }

    @Test
    void verify_whenAFieldIsRepeated_refusesTheDocument() {
        assertThat(problems(EXAMPLE.replace("\"seats\":50", "\"seats\":50,\"seats\":60")))
                .singleElement()
                .asString()
                .startsWith("order: is not valid JSON")
                .contains("seats");
    }

    @Test
    void verify_whenDocumentIsEmptyOrNotAnObject_saysWhatAnOrderIs() {
        assertThat(problems("")).singleElement().asString().startsWith("order: is empty; an order is a JSON object");
        assertThat(problems("[1]")).singleElement().asString().startsWith("order: must be a JSON object");
    }

    private static Order verified(String json) {
        OrderVerification verification = OrderVerifier.verify(json);
        assertThat(verification).isInstanceOf(OrderVerification.Verified.class);
        return ((OrderVerification.Verified) verification).order();
    }

    private static List<String> problems(String json) {
        OrderVerification verification = OrderVerifier.verify(json);
        assertThat(verification).isInstanceOf(OrderVerification.Refused.class);
        return ((OrderVerification.Refused) verification)
                .problems().stream().map(OrderProblem::toString).toList();
    }
}
