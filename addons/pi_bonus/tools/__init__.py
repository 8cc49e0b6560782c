from . import bonus_amount, bonus_write, bonus_xlsx
