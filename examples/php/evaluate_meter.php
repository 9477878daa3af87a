<?php
/*
 * evaluate_meter.php: one ticket of the hot-water meter policy through PHP's
 * FFI, as a PHP CRM plugin would call the C library.
 *
 *   php -d ffi.enable=1 examples/php/evaluate_meter.php PREFIX
 *
 * PREFIX is where scripts/install-c.sh installed the library (its
 * include/aftersales_ffi.h and lib/libaftersales.so.0). Run from the
 * repository's root: it reads examples/policies/. Prints the answer's JSON.
 */
$prefix = $argv[1] ?? '/usr/local';
$ffi = FFI::cdef(file_get_contents("$prefix/include/aftersales_ffi.h"),
                 "$prefix/lib/libaftersales.so.0");

$path = 'examples/policies/hot_water_meter.toml';
$policy = $ffi->new('aftersales_policy*');
$error = $ffi->new('aftersales_error*');
if ($ffi->aftersales_policy_load_path($path, strlen($path), FFI::addr($policy), FFI::addr($error))
        !== $ffi->AFTERSALES_RESULT_OK) {
    $message = $ffi->aftersales_error_message($error);   // const char * comes back as a PHP string
    $ffi->aftersales_error_free($error);
    fwrite(STDERR, "$message\n");
    exit(1);
}
$ticket = '{"id": "T-1", "opened_at": "2026-03-02T08:59:30+08:00", "channel": "hotline"}';
$as_of = (new DateTimeImmutable('2026-03-03T12:00:00+08:00'))->getTimestamp();
$answer = $ffi->new('char*');
$len = $ffi->new('size_t');
$result = $ffi->aftersales_evaluate($policy, $ticket, strlen($ticket), $as_of,
    $ffi->AFTERSALES_EVALUATE_LANG_ZH_CN, FFI::addr($answer), FFI::addr($len), FFI::addr($error));
if (!FFI::isNull($answer)) {
    echo FFI::string($answer, $len->cdata), "\n";      // the answer, or the error envelope
    $ffi->aftersales_string_free($answer);             // never PHP's memory functions
}
$ffi->aftersales_error_free($error);                   // NULL when the call succeeded
$ffi->aftersales_policy_free($policy);
exit($result === $ffi->AFTERSALES_RESULT_OK ? 0 : 1);
