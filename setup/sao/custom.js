/* eCRM customisation of the sao web client, copied into var/sao by
   setup/install.sh (sao's index.html loads custom.js after sao itself). */
if (typeof Sao !== 'undefined') {
    Sao.config.title = 'eCRM';
}
