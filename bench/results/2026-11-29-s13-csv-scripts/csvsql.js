const { buildCaseFilter } = require('/work/main/dist/src/cases/case-query.js');
const { exportSelect } = require('/work/main/dist/src/stats/case-export.repository.js');
const { csvExportSelect } = require('/work/main/dist/src/stats/case-export.service.js');
const ADMIN = { id: '00000000-0000-0000-0000-000000000000', username: 'bench', role: 'admin', workstationId: null };
const { where } = buildCaseFilter(ADMIN, {}, 'c');
require('fs').writeFileSync('/tmp/me/copy-floor.sql', `COPY (${exportSelect(where)}) TO STDOUT WITH CSV`.replace(/\n/g,' ') + ';\n');
require('fs').writeFileSync('/tmp/me/copy-app.sql', `COPY (${csvExportSelect(where)}) TO STDOUT`.replace(/\n/g,' ') + ';\n');
