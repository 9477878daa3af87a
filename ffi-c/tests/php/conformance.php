<?php
/*
 * conformance.php: the C library through PHP's FFI, as a PHP CRM plugin
 * (SuiteCRM, EspoCRM, osTicket, vtiger) would load it: the installed
 * aftersales_ffi.h read by FFI::cdef unchanged, the installed
 * libaftersales.so.0 opened by its SONAME's file.
 *
 *   php -d ffi.enable=1 ffi-c/tests/php/conformance.php PREFIX
 *
 * Run from the repository's root (it reads examples/ and tests/). For every
 * example pack of examples/packs.txt: the pack loaded by path, its tickets
 * as one batch equal tests/conformance/cases/pack_PACK/expected.jsonl byte
 * for byte, and each ticket alone equals its line of alone.jsonl. Then the
 * meter pack loaded from texts answers alike, a bad ticket gives its error
 * with the field, a bad manifest its error with the line, and the error
 * message is copied into a PHP-owned buffer. Exit status 0 when every check
 * holds.
 */

declare(strict_types=1);

if ($argc !== 2) {
    fwrite(STDERR, "usage: php -d ffi.enable=1 conformance.php PREFIX\n");
    exit(2);
}
$prefix = $argv[1];
$ffi = FFI::cdef(
    file_get_contents("$prefix/include/aftersales_ffi.h"),
    "$prefix/lib/libaftersales.so.0"
);

$checks = 0;
$failures = 0;

function check(bool $holds, string $what): void
{
    global $checks, $failures;
    $checks++;
    if (!$holds) {
        $failures++;
        fwrite(STDERR, "conformance.php: check failed: $what\n");
    }
}

/* An out-parameter of type T*: a PHP-owned cell the library writes. */
function cell(FFI $ffi, string $type): FFI\CData
{
    return $ffi->new($type);
}

/* The string the library handed out in `$out` (length in `$len`), freed. */
function take(FFI $ffi, FFI\CData $out, FFI\CData $len): string
{
    $text = FFI::string($out, $len->cdata);
    $ffi->aftersales_string_free($out);
    return $text;
}

/* The error's message, location, code and JSON, the error freed. */
function error_details(FFI $ffi, FFI\CData $error): array
{
    $details = [
        'code' => $ffi->aftersales_error_code($error),
        'message' => $ffi->aftersales_error_message($error),
        'location' => $ffi->aftersales_error_location($error),
        'json' => $ffi->aftersales_error_json($error),
    ];
    $ffi->aftersales_error_free($error);
    return $details;
}

function load_path(FFI $ffi, string $path): FFI\CData
{
    $policy = cell($ffi, 'aftersales_policy*');
    $error = cell($ffi, 'aftersales_error*');
    $result = $ffi->aftersales_policy_load_path($path, strlen($path), FFI::addr($policy), FFI::addr($error));
    if ($result !== $ffi->AFTERSALES_RESULT_OK) {
        $details = error_details($ffi, $error);
        fwrite(STDERR, "conformance.php: $path does not load: {$details['message']}\n");
        exit(1);
    }
    return $policy;
}

/* One ticket alone: [result, answer]. */
function evaluate(FFI $ffi, FFI\CData $policy, string $ticket, int $as_of, int $flags = 0): array
{
    $answer = cell($ffi, 'char*');
    $len = cell($ffi, 'size_t');
    $error = cell($ffi, 'aftersales_error*');
    $result = $ffi->aftersales_evaluate($policy, $ticket, strlen($ticket), $as_of, $flags,
        FFI::addr($answer), FFI::addr($len), FFI::addr($error));
    $text = FFI::isNull($answer) ? null : take($ffi, $answer, $len);
    $ffi->aftersales_error_free($error);
    return [$result, $text];
}

function evaluate_batch(FFI $ffi, FFI\CData $policy, string $tickets, int $as_of, int $flags = 0): string
{
    $answers = cell($ffi, 'char*');
    $len = cell($ffi, 'size_t');
    $error = cell($ffi, 'aftersales_error*');
    $result = $ffi->aftersales_evaluate_batch($policy, $tickets, strlen($tickets), $as_of, $flags,
        FFI::addr($answers), FFI::addr($len), FFI::addr($error));
    check($result === $ffi->AFTERSALES_RESULT_OK, 'a batch evaluates');
    if ($result !== $ffi->AFTERSALES_RESULT_OK) {
        return '';
    }
    return take($ffi, $answers, $len);
}

/* The library and the header agree. */
check($ffi->aftersales_version() === sprintf('%d.%d.%d', $ffi->AFTERSALES_VERSION_MAJOR,
    $ffi->AFTERSALES_VERSION_MINOR, $ffi->AFTERSALES_VERSION_PATCH), 'the version is the header\'s');
check($ffi->aftersales_result_name($ffi->AFTERSALES_RESULT_BUFFER_TOO_SMALL) === 'buffer_too_small',
    'result names');

foreach (file('examples/packs.txt', FILE_IGNORE_NEW_LINES) as $line) {
    $line = trim($line);
    if ($line === '' || $line[0] === '#') {
        continue;
    }
    [$pack, $as_of_text] = preg_split('/\s+/', $line);
    $as_of = (new DateTimeImmutable($as_of_text))->getTimestamp();
    $case = "tests/conformance/cases/pack_$pack";
    $policy = load_path($ffi, "examples/policies/$pack.toml");
    $tickets = file_get_contents("examples/tickets/$pack.jsonl");

    $batch = evaluate_batch($ffi, $policy, $tickets, $as_of);
    check($batch === file_get_contents("$case/expected.jsonl"), "$pack: the batch is $case/expected.jsonl");

    $alone = file("$case/alone.jsonl", FILE_IGNORE_NEW_LINES);
    $i = 0;
    foreach (explode("\n", $tickets) as $ticket) {
        if ($ticket === '') {
            continue;
        }
        [$result, $answer] = evaluate($ffi, $policy, $ticket, $as_of);
        check($result === $ffi->AFTERSALES_RESULT_OK, "$pack: ticket $i evaluates");
        check($answer === ($alone[$i] ?? null), "$pack: ticket $i alone is line $i of $case/alone.jsonl");
        $i++;
    }
    check($i === count($alone), "$pack: as many answers as $case/alone.jsonl has lines");
    echo "conformance.php $pack: the batch and $i tickets alone equal the expected bytes\n";
    $ffi->aftersales_policy_free($policy);
}

/* The meter pack from texts: the manifest and its rule file as PHP strings. */
$toml = file_get_contents('examples/policies/hot_water_meter.toml');
$rules_name = 'hot_water_meter.rhai';
$rules_text = file_get_contents("examples/policies/$rules_name");
$rules = $ffi->new('aftersales_rule_text[1]');
$name_buffer = FFI::new('char[' . strlen($rules_name) . ']', false);
FFI::memcpy($name_buffer, $rules_name, strlen($rules_name));
$text_buffer = FFI::new('char[' . strlen($rules_text) . ']', false);
FFI::memcpy($text_buffer, $rules_text, strlen($rules_text));
$rules[0]->name = FFI::cast('char*', $name_buffer);
$rules[0]->name_len = strlen($rules_name);
$rules[0]->text = FFI::cast('char*', $text_buffer);
$rules[0]->text_len = strlen($rules_text);
$policy = cell($ffi, 'aftersales_policy*');
$error = cell($ffi, 'aftersales_error*');
$result = $ffi->aftersales_policy_load_text($toml, strlen($toml), $rules, 1, FFI::addr($policy), FFI::addr($error));
FFI::free($name_buffer);
FFI::free($text_buffer);
check($result === $ffi->AFTERSALES_RESULT_OK, 'the meter pack loads from texts');
$as_of = (new DateTimeImmutable('2026-03-03T12:00:00+08:00'))->getTimestamp();
$tickets = file_get_contents('examples/tickets/hot_water_meter.jsonl');
check(evaluate_batch($ffi, $policy, $tickets, $as_of)
    === file_get_contents('tests/conformance/cases/pack_hot_water_meter/expected.jsonl'),
    'the meter pack from texts gives the expected batch');

/* A ticket without its opening instant: the error envelope, and the field. */
$bad = '{"id": "T-9", "channel": "hotline"}';
[$result, $answer] = evaluate($ffi, $policy, $bad, $as_of);
check($result === $ffi->AFTERSALES_RESULT_TICKET, 'a ticket without opened_at is a ticket error');
$envelope = json_decode((string)$answer, true);
check(is_array($envelope) && $envelope['position'] === null && $envelope['ticket'] === 'T-9'
    && $envelope['error']['kind'] === 'ticket' && $envelope['error']['field'] === 'opened_at',
    'its envelope names the ticket and the field');
$answer_ptr = cell($ffi, 'char*');
$error = cell($ffi, 'aftersales_error*');
$ffi->aftersales_evaluate($policy, $bad, strlen($bad), $as_of, 0, FFI::addr($answer_ptr), null, FFI::addr($error));
$ffi->aftersales_string_free($answer_ptr);
/* The message copied into a PHP-owned buffer: the length first. */
$needed = cell($ffi, 'size_t');
check($ffi->aftersales_error_message_copy($error, null, 0, FFI::addr($needed)) === $ffi->AFTERSALES_RESULT_OK,
    'the message length alone');
$buffer = FFI::new('char[' . ($needed->cdata + 1) . ']');
check($ffi->aftersales_error_message_copy($error, $buffer, $needed->cdata + 1, null) === $ffi->AFTERSALES_RESULT_OK,
    'the message copied');
$copied = FFI::string($buffer);
$details = error_details($ffi, $error);
check($copied === $details['message'] && strlen($copied) === $needed->cdata, 'the copy is the message');
check($details['location'] === 'opened_at', 'the error\'s location is the field');
check(json_decode($details['json'], true)['field'] === 'opened_at', 'the error JSON names the field');

/* Flags: reasons as codes, in Chinese. */
[$result, $answer] = evaluate($ffi, $policy, explode("\n", $tickets)[0], $as_of,
    $ffi->AFTERSALES_EVALUATE_BECAUSE_CODES | $ffi->AFTERSALES_EVALUATE_LANG_ZH_CN);
check($result === $ffi->AFTERSALES_RESULT_OK && str_contains((string)$answer, '"code":"'), 'reasons as codes');
[$result, $answer] = evaluate($ffi, $policy, explode("\n", $tickets)[0], $as_of,
    $ffi->AFTERSALES_EVALUATE_BECAUSE_CODES | $ffi->AFTERSALES_EVALUATE_BECAUSE_NONE);
check($result === $ffi->AFTERSALES_RESULT_INPUT && $answer === null, 'codes and none together are refused');
$ffi->aftersales_policy_free($policy);

/* A manifest that is not TOML: a policy error with its line. */
$broken = "[policy]\nid = \n";
$policy = cell($ffi, 'aftersales_policy*');
$error = cell($ffi, 'aftersales_error*');
$result = $ffi->aftersales_policy_load_text($broken, strlen($broken), null, 0, FFI::addr($policy), FFI::addr($error));
$details = error_details($ffi, $error);
check($result === $ffi->AFTERSALES_RESULT_POLICY && FFI::isNull($policy), 'a broken manifest is a policy error');
check(str_contains($details['location'], 'line 2'), "the policy error's location has its line: {$details['location']}");

echo "conformance.php: $checks checks, $failures failed\n";
exit($failures === 0 ? 0 : 1);
